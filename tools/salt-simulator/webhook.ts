// Salt's Custom Webhook: URL, optional headers, and a body template rendered by plain substitution.
import type { WebhookEventType } from "./conventions";

export interface WebhookConfig {
  url: string;
  headers?: Record<string, string>;
  /** Sent as configured after substituting {{host}} and {{eventType}}; an invalid JSON template is still sent. */
  bodyTemplate: string;
}

export interface WebhookDelivery {
  at: string;
  url: string;
  eventType: WebhookEventType;
  host: string;
  body: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const SEND_TIMEOUT_MS = 5_000;

export function renderWebhookBody(template: string, values: { host: string; eventType: string }): string {
  return template.replaceAll("{{host}}", values.host).replaceAll("{{eventType}}", values.eventType);
}

export class WebhookSender {
  private config: WebhookConfig | null = null;
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  configure(config: WebhookConfig): void {
    if (!/^https?:\/\//.test(config.url)) throw new Error("webhook url must start with http:// or https://");
    this.config = { url: config.url, headers: { ...(config.headers ?? {}) }, bodyTemplate: config.bodyTemplate };
  }

  clear(): void {
    this.config = null;
  }

  current(): WebhookConfig | null {
    return this.config;
  }

  log(): WebhookDelivery[] {
    return [...this.deliveries];
  }

  clearLog(): void {
    this.deliveries.length = 0;
  }

  /** Fire and forget; `idle()` lets tests and the control API wait for every send in flight. */
  send(eventType: WebhookEventType, host: string): void {
    const config = this.config;
    if (!config) return;
    const delivery = this.deliver(config, eventType, host);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(config: WebhookConfig, eventType: WebhookEventType, host: string): Promise<void> {
    const body = renderWebhookBody(config.bodyTemplate, { host, eventType });
    const started = Date.now();
    const record: WebhookDelivery = {
      at: new Date(started).toISOString(),
      url: config.url,
      eventType,
      host,
      body,
      statusCode: null,
      error: null,
      durationMs: 0,
    };
    try {
      const response = await fetch(config.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...config.headers },
        body,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      record.statusCode = response.status;
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      record.error = error instanceof Error ? `${error.message}${cause}` : String(error);
    }
    record.durationMs = Date.now() - started;
    this.deliveries.push(record);
  }
}
