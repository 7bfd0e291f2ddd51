// In-memory hosts, endpoints and posture gaps, indexed for fast filtered pages; every gap change is announced.
import {
  SEVERITIES,
  STATUSES,
  type PageEnvelope,
  type PostureGap,
  type PostureGapTicket,
  type SaltEndpoint,
  type SaltHost,
  type Severity,
  type Status,
  type WebhookEventType,
} from "./conventions";
import { SimulatorInputError } from "../simulator-kit/http";
import { createRandom, hexId, type Random } from "../simulator-kit/random";
import type { SeededData } from "./seed";

export interface WriteBackRecord {
  at: string;
  keyName: string;
  postureGapId: string;
  from: Status;
  to: Status;
  changed: boolean;
}

export interface GapChange {
  eventType: WebhookEventType;
  gap: PostureGap;
}

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface GapFilter {
  host?: string;
  status?: string;
  severity?: string;
  postureGapId?: string;
}

export interface NewHost {
  host: string;
  labels?: string[];
}
export interface NewEndpoint {
  host: string;
  method: string;
  endpointPath: string;
  labels?: string[];
}
export interface NewPostureGap {
  host: string;
  method: string;
  endpointPath: string;
  postureGapName?: string;
  severity?: Severity;
  status?: Status;
  categories?: string[];
  tickets?: PostureGapTicket[];
  cweId?: string | null;
  detected?: string;
}
export interface PostureGapPatch {
  postureGapName?: string;
  severity?: Severity;
  status?: Status;
  categories?: string[];
  tickets?: PostureGapTicket[];
  cweId?: string | null;
}

function isSeverity(v: unknown): v is Severity {
  return typeof v === "string" && (SEVERITIES as readonly string[]).includes(v);
}
export function isStatus(v: unknown): v is Status {
  return typeof v === "string" && (STATUSES as readonly string[]).includes(v);
}

function endpointKey(host: string, method: string, path: string): string {
  return `${host} ${method.toUpperCase()} ${path}`;
}

function page<T>(rows: Iterable<T>, request: PageRequest, matches: (row: T) => boolean = () => true): PageEnvelope<T> {
  const response: T[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (!matches(row)) continue;
    if (skipped < request.offset) {
      skipped++;
      continue;
    }
    response.push(row);
    if (response.length >= request.limit) break;
  }
  return { response, endOffset: request.offset + response.length };
}

export class SimulatorState {
  /** Insertion-ordered maps: pages walk them in order, so offsets are stable while nothing is deleted. */
  private readonly hosts = new Map<string, SaltHost>();
  private readonly endpoints = new Map<string, SaltEndpoint>();
  private readonly endpointsByHost = new Map<string, Map<string, SaltEndpoint>>();
  private readonly endpointsByKey = new Map<string, SaltEndpoint>();
  private readonly gaps = new Map<string, PostureGap>();
  private readonly gapsByHost = new Map<string, Map<string, PostureGap>>();
  private readonly writes: WriteBackRecord[] = [];
  private random: Random;

  constructor(
    private readonly onGapChange: (change: GapChange) => void,
    private readonly now: () => Date = () => new Date(),
    seed = 1,
  ) {
    this.random = createRandom(seed ^ 0x5a17);
  }

  load(data: SeededData, seed: number): void {
    this.hosts.clear();
    this.endpoints.clear();
    this.endpointsByHost.clear();
    this.endpointsByKey.clear();
    this.gaps.clear();
    this.gapsByHost.clear();
    this.writes.length = 0;
    this.random = createRandom(seed ^ 0x5a17);
    for (const host of data.hosts) this.insertHost({ ...host });
    for (const endpoint of data.endpoints) this.insertEndpoint({ ...endpoint });
    for (const gap of data.postureGaps) this.insertGap({ ...gap });
  }

  counts(): { hosts: number; endpoints: number; postureGaps: number; writes: number } {
    return { hosts: this.hosts.size, endpoints: this.endpoints.size, postureGaps: this.gaps.size, writes: this.writes.length };
  }

  // ---- reads ------------------------------------------------------------------------------------------------

  listHosts(request: PageRequest): PageEnvelope<SaltHost> {
    const result = page(this.hosts.values(), request);
    return { ...result, response: result.response.map((h) => this.hostView(h)) };
  }

  listEndpoints(request: PageRequest, filter: { host?: string }): PageEnvelope<SaltEndpoint> {
    if (filter.host !== undefined) return page(this.endpointsByHost.get(filter.host)?.values() ?? [], request);
    return page(this.endpoints.values(), request);
  }

  listPostureGaps(request: PageRequest, filter: GapFilter): PageEnvelope<PostureGap> {
    if (filter.postureGapId !== undefined) {
      const gap = this.gaps.get(filter.postureGapId);
      return page(gap ? [gap] : [], request, (g) => this.gapMatches(g, filter));
    }
    const source = filter.host !== undefined ? (this.gapsByHost.get(filter.host)?.values() ?? []) : this.gaps.values();
    if (filter.status === undefined && filter.severity === undefined) return page(source, request);
    return page(source, request, (g) => this.gapMatches(g, filter));
  }

  getHost(host: string): SaltHost | undefined {
    const row = this.hosts.get(host);
    return row ? this.hostView(row) : undefined;
  }
  getEndpoint(endpointId: string): SaltEndpoint | undefined {
    return this.endpoints.get(endpointId);
  }
  getPostureGap(postureGapId: string): PostureGap | undefined {
    return this.gaps.get(postureGapId);
  }
  writeLog(): WriteBackRecord[] {
    return [...this.writes];
  }

  // ---- hosts ------------------------------------------------------------------------------------------------

  createHost(input: NewHost): SaltHost {
    if (!input.host) throw new SimulatorInputError(400, "host is required");
    if (this.hosts.has(input.host)) throw new SimulatorInputError(409, `host ${input.host} already exists`);
    const at = this.now().toISOString();
    const host: SaltHost = {
      hostId: hexId(this.random),
      host: input.host,
      labels: [...(input.labels ?? [])],
      endpointCount: 0,
      firstSeen: at,
      lastSeen: at,
    };
    this.insertHost(host);
    return this.hostView(host);
  }

  updateHost(hostName: string, patch: { labels?: string[] }): SaltHost {
    const host = this.hosts.get(hostName);
    if (!host) throw new SimulatorInputError(404, `host ${hostName} not found`);
    if (patch.labels) host.labels = [...patch.labels];
    host.lastSeen = this.now().toISOString();
    return this.hostView(host);
  }

  deleteHost(hostName: string): void {
    if (!this.hosts.has(hostName)) throw new SimulatorInputError(404, `host ${hostName} not found`);
    for (const endpoint of [...(this.endpointsByHost.get(hostName)?.values() ?? [])]) {
      this.deleteEndpoint(endpoint.endpointId);
    }
    // Gaps whose endpoint was removed from the inventory separately still belong to the host.
    for (const gap of [...(this.gapsByHost.get(hostName)?.values() ?? [])]) this.deletePostureGap(gap.postureGapId);
    this.hosts.delete(hostName);
    this.endpointsByHost.delete(hostName);
    this.gapsByHost.delete(hostName);
  }

  // ---- endpoints --------------------------------------------------------------------------------------------

  createEndpoint(input: NewEndpoint): SaltEndpoint {
    if (!input.host || !input.method || !input.endpointPath) {
      throw new SimulatorInputError(400, "host, method and endpointPath are required");
    }
    if (!this.hosts.has(input.host)) throw new SimulatorInputError(404, `host ${input.host} not found`);
    if (this.endpointsByKey.has(endpointKey(input.host, input.method, input.endpointPath))) {
      throw new SimulatorInputError(409, `endpoint ${input.method} ${input.endpointPath} already exists`);
    }
    const at = this.now().toISOString();
    const host = this.hosts.get(input.host);
    const endpoint: SaltEndpoint = {
      endpointId: hexId(this.random),
      host: input.host,
      method: input.method.toUpperCase(),
      endpointPath: input.endpointPath,
      labels: [...(input.labels ?? host?.labels ?? [])],
      firstSeen: at,
      lastSeen: at,
    };
    this.insertEndpoint(endpoint);
    return endpoint;
  }

  /** New labels are copied onto the endpoint's posture gaps (endpointLabels), which counts as a gap change. */
  updateEndpoint(endpointId: string, patch: { labels?: string[] }): SaltEndpoint {
    const endpoint = this.endpoints.get(endpointId);
    if (!endpoint) throw new SimulatorInputError(404, `endpoint ${endpointId} not found`);
    endpoint.lastSeen = this.now().toISOString();
    if (patch.labels) {
      endpoint.labels = [...patch.labels];
      for (const gap of this.gapsOfEndpoint(endpoint)) {
        gap.endpointLabels = [...patch.labels];
        gap.lastActivity = this.now().toISOString();
        this.onGapChange({ eventType: "posture_gap.updated", gap });
      }
    }
    return endpoint;
  }

  deleteEndpoint(endpointId: string): void {
    const endpoint = this.endpoints.get(endpointId);
    if (!endpoint) throw new SimulatorInputError(404, `endpoint ${endpointId} not found`);
    for (const gap of this.gapsOfEndpoint(endpoint)) this.deletePostureGap(gap.postureGapId);
    this.endpoints.delete(endpointId);
    this.endpointsByHost.get(endpoint.host)?.delete(endpointId);
    this.endpointsByKey.delete(endpointKey(endpoint.host, endpoint.method, endpoint.endpointPath));
  }

  // ---- posture gaps -----------------------------------------------------------------------------------------

  createPostureGap(input: NewPostureGap): PostureGap {
    const endpoint = this.endpointsByKey.get(endpointKey(input.host, input.method ?? "", input.endpointPath ?? ""));
    if (!endpoint) {
      throw new SimulatorInputError(404, `endpoint ${input.method} ${input.endpointPath} on ${input.host} not found`);
    }
    if (input.severity !== undefined && !isSeverity(input.severity)) {
      throw new SimulatorInputError(400, `severity must be one of ${SEVERITIES.join(", ")}`);
    }
    if (input.status !== undefined && !isStatus(input.status)) {
      throw new SimulatorInputError(400, `status must be one of ${STATUSES.join(", ")}`);
    }
    const at = this.now().toISOString();
    const gap: PostureGap = {
      postureGapId: hexId(this.random),
      postureGapName: input.postureGapName ?? "Endpoint accepts requests without authentication",
      severity: input.severity ?? "High",
      status: input.status ?? "Open",
      categories: [...(input.categories ?? ["Broken authentication"])],
      host: endpoint.host,
      method: endpoint.method,
      endpointPath: endpoint.endpointPath,
      tickets: [...(input.tickets ?? [])],
      detected: input.detected ?? at,
      lastActivity: at,
      endpointLabels: [...endpoint.labels],
      cweId: input.cweId === undefined ? "CWE-287" : input.cweId,
    };
    this.insertGap(gap);
    this.onGapChange({ eventType: "posture_gap.created", gap });
    return gap;
  }

  /** Any change bumps lastActivity; a status change is announced as status_changed, anything else as updated. */
  updatePostureGap(postureGapId: string, patch: PostureGapPatch): PostureGap {
    const gap = this.gaps.get(postureGapId);
    if (!gap) throw new SimulatorInputError(404, `posture gap ${postureGapId} not found`);
    if (patch.severity !== undefined && !isSeverity(patch.severity)) {
      throw new SimulatorInputError(400, `severity must be one of ${SEVERITIES.join(", ")}`);
    }
    if (patch.status !== undefined && !isStatus(patch.status)) {
      throw new SimulatorInputError(400, `status must be one of ${STATUSES.join(", ")}`);
    }
    const statusChanged = patch.status !== undefined && patch.status !== gap.status;
    if (patch.postureGapName !== undefined) gap.postureGapName = patch.postureGapName;
    if (patch.severity !== undefined) gap.severity = patch.severity;
    if (patch.status !== undefined) gap.status = patch.status;
    if (patch.categories !== undefined) gap.categories = [...patch.categories];
    if (patch.tickets !== undefined) gap.tickets = [...patch.tickets];
    if (patch.cweId !== undefined) gap.cweId = patch.cweId;
    gap.lastActivity = this.now().toISOString();
    this.onGapChange({ eventType: statusChanged ? "posture_gap.status_changed" : "posture_gap.updated", gap });
    return gap;
  }

  deletePostureGap(postureGapId: string): void {
    const gap = this.gaps.get(postureGapId);
    if (!gap) throw new SimulatorInputError(404, `posture gap ${postureGapId} not found`);
    this.gaps.delete(postureGapId);
    this.gapsByHost.get(gap.host)?.delete(postureGapId);
    this.onGapChange({ eventType: "posture_gap.deleted", gap });
  }

  /** Status write-back through the public API. Every call is recorded; only a real change is announced. */
  writeBack(keyName: string, postureGapId: string, status: Status): { gap: PostureGap; changed: boolean } {
    const gap = this.gaps.get(postureGapId);
    if (!gap) throw new SimulatorInputError(404, `posture gap ${postureGapId} not found`);
    const from = gap.status;
    const changed = from !== status;
    const at = this.now().toISOString();
    this.writes.push({ at, keyName, postureGapId, from, to: status, changed });
    if (changed) {
      gap.status = status;
      gap.lastActivity = at;
      this.onGapChange({ eventType: "posture_gap.status_changed", gap });
    }
    return { gap, changed };
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private hostView(host: SaltHost): SaltHost {
    return { ...host, endpointCount: this.endpointsByHost.get(host.host)?.size ?? 0 };
  }

  private gapMatches(gap: PostureGap, filter: GapFilter): boolean {
    return (
      (filter.host === undefined || gap.host === filter.host) &&
      (filter.status === undefined || gap.status === filter.status) &&
      (filter.severity === undefined || gap.severity === filter.severity)
    );
  }

  private gapsOfEndpoint(endpoint: SaltEndpoint): PostureGap[] {
    const out: PostureGap[] = [];
    for (const gap of this.gapsByHost.get(endpoint.host)?.values() ?? []) {
      if (gap.method === endpoint.method && gap.endpointPath === endpoint.endpointPath) out.push(gap);
    }
    return out;
  }

  private insertHost(host: SaltHost): void {
    this.hosts.set(host.host, host);
    if (!this.endpointsByHost.has(host.host)) this.endpointsByHost.set(host.host, new Map());
    if (!this.gapsByHost.has(host.host)) this.gapsByHost.set(host.host, new Map());
  }

  private insertEndpoint(endpoint: SaltEndpoint): void {
    this.endpoints.set(endpoint.endpointId, endpoint);
    let byHost = this.endpointsByHost.get(endpoint.host);
    if (!byHost) {
      byHost = new Map();
      this.endpointsByHost.set(endpoint.host, byHost);
    }
    byHost.set(endpoint.endpointId, endpoint);
    this.endpointsByKey.set(endpointKey(endpoint.host, endpoint.method, endpoint.endpointPath), endpoint);
  }

  private insertGap(gap: PostureGap): void {
    this.gaps.set(gap.postureGapId, gap);
    let byHost = this.gapsByHost.get(gap.host);
    if (!byHost) {
      byHost = new Map();
      this.gapsByHost.set(gap.host, byHost);
    }
    byHost.set(gap.postureGapId, gap);
  }
}
