// hello-go: a tiny HTTP service (standard library only).
//
//	hello-go            serve on :$PORT (default 8080): GET / and GET /health
//	hello-go -once      print the greeting and exit (handy in a scratch image)
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

func greeting(name string) string {
	if name == "" {
		name = "world"
	}
	return fmt.Sprintf("hello, %s from go", name)
}

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greeting(r.URL.Query().Get("name")))
	})
	return mux
}

func main() {
	once := flag.Bool("once", false, "print the greeting and exit")
	flag.Parse()
	if *once {
		fmt.Println(greeting(os.Getenv("NAME")))
		return
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Printf("hello-go listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, handler()))
}
