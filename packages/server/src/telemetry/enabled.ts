/** Are OpenTelemetry traces on? `PUOLESTA_OTEL_ENABLED=true` (decision 0018); otherwise the preload starts nothing and the app adds no span hooks. */
export function otelEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PUOLESTA_OTEL_ENABLED === 'true';
}
