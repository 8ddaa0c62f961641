/**
 * OpenAPI 3.0 has a schema's `example` (one value), not JSON Schema's `examples` (a list). The
 * shared shapes carry `examples` (for the document's request and response examples); @fastify/swagger
 * turns those at the top of a body or response into media-type examples but leaves nested ones, so
 * this pass gives every remaining schema its first example as `example`.
 */
export function openApi30Examples<T>(doc: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'examples' && Array.isArray(v)) {
        if (v.length > 0 && !('example' in node)) out.example = v[0];
      } else if (k === 'example') {
        out[k] = v; // examples are data: left as they are
      } else {
        out[k] = walk(v);
      }
    }
    return out;
  };
  return walk(doc) as T;
}
