package main

import (
	"io"
	"net/http/httptest"
	"os"
	"testing"
)

func TestGreeting(t *testing.T) {
	if got := greeting("stagec"); got != "hello, stagec from go" {
		t.Fatalf("greeting = %q", got)
	}
	if got := greeting(""); got != "hello, world from go" {
		t.Fatalf("greeting = %q", got)
	}
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(handler())
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/?name=e2e")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if string(body) != "hello, e2e from go\n" {
		t.Fatalf("body = %q", body)
	}
}

// STAGEC_E2E_FAIL=1, or a file named STAGEC_E2E_FAIL next to go.mod, fails on purpose.
func TestDeliberateFailureSwitchIsOff(t *testing.T) {
	_, err := os.Stat("STAGEC_E2E_FAIL")
	if os.Getenv("STAGEC_E2E_FAIL") == "1" || err == nil {
		t.Fatal("STAGEC_E2E_FAIL is set: failing on purpose")
	}
}
