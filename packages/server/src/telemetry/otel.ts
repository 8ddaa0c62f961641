/**
 * The OpenTelemetry preload (decision 0018): `node --import ./packages/server/dist/telemetry/otel.js
 * packages/server/dist/main.js`, given only when traces are on (`PUOLESTA_OTEL_ENABLED=true`; the
 * Kubernetes manifests put it in NODE_OPTIONS then). Imported without that variable it does nothing.
 *
 * It starts, before the app is loaded:
 * - a NodeTracerProvider (the async-hooks context manager, W3C trace context propagation) with the
 *   sampler of the standard `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` (default: parent-based,
 *   always on) and the resource `service.name` from `OTEL_SERVICE_NAME` (default `puolesta`) and
 *   `OTEL_RESOURCE_ATTRIBUTES`;
 * - the OTLP/HTTP exporter (`OTEL_EXPORTER_OTLP_ENDPOINT`, …/v1/traces, JSON) behind a batch
 *   processor (`OTEL_BSP_*`);
 * - before it, a processor that masks identity codes in every span's name, attributes, events and
 *   status — the logger's rule (`maskIdentityCodes`), whatever an instrumentation recorded;
 * - the `pg` instrumentation (database spans under the request's span; none outside a request),
 *   hooked into ESM imports by import-in-the-middle's loader, registered for `pg` alone.
 *
 * The request spans themselves are made by the app (telemetry/tracing.ts).
 */
import { register } from 'node:module';
import { otelEnabled } from './enabled.js';

if (otelEnabled()) {
  // Before anything imports pg: the loader hook only sees imports made after it is registered.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['pg'] } });
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources, { registerInstrumentations }, { PgInstrumentation }, { IdentityCodeRedaction }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-pg'),
    import('./redaction.js'),
  ]);
  const resource = resources.defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'puolesta' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new IdentityCodeRedaction(), new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    // Parameters are never recorded (`enhancedDatabaseReporting` off): only the statement's text.
    instrumentations: [new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false })],
  });
  // At SIGTERM, send what the batch holds while the app closes; alone (no other handler), also exit.
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      const flushed = provider.forceFlush().catch(() => undefined);
      if (process.listenerCount(sig) === 0) void flushed.finally(() => process.exit(sig === 'SIGTERM' ? 143 : 130));
    });
  }
}
