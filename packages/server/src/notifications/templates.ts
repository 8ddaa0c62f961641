// Placeholder until the fi/sv/en templates land (branch h-templates).
import type { RenderedMessage, TemplateInput } from './types.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderMessage(input: TemplateInput): RenderedMessage {
  const subject = `${input.event}: ${input.principal.name} → ${input.agent.name}`;
  const text = `${input.recipientName}\n${subject}\n${input.issues.join(', ')}\n${input.validFrom}–${input.validUntil}\n${input.link}`;
  return { subject, text, html: `<html lang="${input.language}"><body><p>${esc(text)}</p></body></html>`, sms: `${input.event} ${input.link}` };
}
