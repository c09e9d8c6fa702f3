import type { ResolvedProject, StageRef } from '../resolve';

export type EdgeKind = 'from' | 'copy' | 'mount';

export interface GraphNode {
  id: string;
  service: string;
  stage: string;
  target: boolean;
}

export interface GraphEdge {
  /** The stage (or image) built on. */
  from: string;
  /** The stage that builds on it. */
  to: string;
  kind: EdgeKind;
}

export interface StageGraph {
  nodes: GraphNode[];
  images: string[];
  edges: GraphEdge[];
}

const id = (service: string, stage: string): string => `${service}/${stage}`;

/** The stage and service graph: FROM, COPY --from and bind-mount edges, across services too. */
export function buildGraph(project: ResolvedProject): StageGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const images = new Set<string>();
  for (const service of project.services) {
    const source = (ref: StageRef): string => {
      if (ref.kind === 'stage') return id(service.name, ref.stage);
      if (ref.kind === 'service') return id(ref.service, ref.stage);
      images.add(ref.image);
      return ref.image;
    };
    for (const stage of service.stages) {
      const to = id(service.name, stage.name);
      nodes.push({ id: to, service: service.name, stage: stage.name, target: stage.name === service.target });
      edges.push({ from: source(stage.base.value), to, kind: 'from' });
      for (const { value: step } of stage.steps) {
        if (step.kind === 'copy' && step.from) edges.push({ from: source(step.from), to, kind: 'copy' });
        if (step.kind === 'run') for (const m of step.mounts) if ((m.type === 'bind' || m.type === 'cache') && m.from) edges.push({ from: source(m.from), to, kind: 'mount' });
      }
    }
  }
  const unique = [...new Map(edges.map((e) => [`${e.from}|${e.to}|${e.kind}`, e])).values()];
  return { nodes, images: [...images].sort(), edges: unique };
}

/**
 * Mermaid ids, one per name: `_` is `__` and any other non-alphanumeric `_<hex>_`, so `a-b:1` and
 * `a.b:1` (or services `s-v` and `s.v`) stay two nodes; images, services and stages get their own prefixes.
 */
const safeId = (kind: 'i' | 's' | 'n', raw: string): string =>
  `${kind}_${raw.replace(/[^A-Za-z0-9]/g, (c) => (c === '_' ? '__' : `_${c.codePointAt(0)!.toString(16)}_`))}`;

/** Text inside a mermaid `"..."` label: quotes and markup as mermaid's numeric entities (`#34;`), control characters too. */
export const mermaidLabel = (text: string): string =>
  `"${text.replace(/["#&<>\u0000-\u001f\u007f\u0085\u2028\u2029]/gu, (c) => `#${c.codePointAt(0)};`)}"`;

export function renderMermaid(graph: StageGraph): string {
  const out = ['flowchart LR'];
  const stageIds = new Set(graph.nodes.map((n) => n.id));
  const id = (raw: string): string => safeId(stageIds.has(raw) ? 'n' : 'i', raw);
  for (const image of graph.images) out.push(`  ${safeId('i', image)}[(${mermaidLabel(image)})]`);
  const services = [...new Set(graph.nodes.map((n) => n.service))];
  for (const service of services) {
    out.push(`  subgraph ${safeId('s', service)}[${mermaidLabel(service)}]`);
    for (const n of graph.nodes.filter((node) => node.service === service)) {
      out.push(n.target ? `    ${safeId('n', n.id)}[[${mermaidLabel(n.stage)}]]` : `    ${safeId('n', n.id)}[${mermaidLabel(n.stage)}]`);
    }
    out.push('  end');
  }
  const arrow: Record<EdgeKind, string> = { from: '-->', copy: '-. copy .->', mount: '-. mount .->' };
  for (const e of graph.edges) out.push(`  ${id(e.from)} ${arrow[e.kind]} ${id(e.to)}`);
  return `${out.join('\n')}\n`;
}

export function renderDot(graph: StageGraph): string {
  const q = JSON.stringify;
  const out = ['digraph stages {', '  rankdir=LR;', '  node [shape=box];'];
  for (const image of graph.images) out.push(`  ${q(image)} [shape=cylinder];`);
  const services = [...new Set(graph.nodes.map((n) => n.service))];
  for (const service of services) {
    out.push(`  subgraph ${q(`cluster_${service}`)} {`, `    label=${q(service)};`);
    for (const n of graph.nodes.filter((node) => node.service === service)) {
      out.push(`    ${q(n.id)} [label=${q(n.stage)}${n.target ? ', peripheries=2' : ''}];`);
    }
    out.push('  }');
  }
  for (const e of graph.edges) out.push(`  ${q(e.from)} -> ${q(e.to)}${e.kind === 'from' ? '' : ` [style=dashed, label=${q(e.kind)}]`};`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
