import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { maskIdentityCodes } from '../logger.js';

type Attributes = Record<string, unknown>;

function maskAttributes(attrs: Attributes | undefined, set: (key: string, value: string | string[]) => void): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'string') {
      const m = maskIdentityCodes(v);
      if (m !== v) set(k, m);
    } else if (Array.isArray(v) && v.some((x) => typeof x === 'string')) {
      const m = v.map((x) => (typeof x === 'string' ? maskIdentityCodes(x) : x));
      if (m.some((x, i) => x !== v[i])) set(k, m as string[]);
    }
  }
}

/**
 * A span processor, before the exporting one: identity codes in a span's name, attributes, events
 * and status message are masked as the logger masks them (`[identity code]`), while the span can
 * still be written (`onEnding`). Whatever an instrumentation records — a URL, a database statement,
 * an exception message — no identity code leaves the process in a span.
 */
export class IdentityCodeRedaction implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const name = maskIdentityCodes(span.name);
    if (name !== span.name) span.updateName(name);
    maskAttributes(span.attributes, (k, v) => { span.setAttribute(k, v); });
    for (const e of span.events) {
      const en = maskIdentityCodes(e.name);
      if (en !== e.name) (e as { name: string }).name = en;
      maskAttributes(e.attributes, (k, v) => { (e.attributes as Attributes)[k] = v; });
    }
    if (span.status.message) {
      const m = maskIdentityCodes(span.status.message);
      if (m !== span.status.message) span.setStatus({ ...span.status, message: m });
    }
  }

  onEnd(_span: ReadableSpan): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
