// What an outbound integration (Snapsec VM) forwards and where: assessment routing and status auto-sync.
// Kept apart from ./forwarding.ts so integrations.ts can type its column without a cycle of tables.
import { z } from "zod";
import { VM_THREAT_STATUSES } from "../../server/integrations/snapsec-vm/contract";
import { issueStatuses } from "./vocabulary";

export const vmThreatStatuses = VM_THREAT_STATUSES;
export type VmThreatStatusName = (typeof vmThreatStatuses)[number];

export const assessmentModes = ["unified", "per_project"] as const;
export type AssessmentMode = (typeof assessmentModes)[number];

export const assessmentRefSchema = z.object({ id: z.string().min(1).max(200), name: z.string().max(200) });
export type AssessmentRef = z.infer<typeof assessmentRefSchema>;

/** Postura status → ordered VM statuses; the first is sent. An empty row: that status is not sent. */
export const vmStatusMappingSchema = z
  .record(z.enum(issueStatuses), z.array(z.enum(vmThreatStatuses)))
  .refine(
    (m) => {
      const all = Object.values(m).flat();
      return new Set(all).size === all.length;
    },
    { message: "A Snapsec VM status can sit in only one row of the status mapping." },
  );
export type VmStatusMapping = z.infer<typeof vmStatusMappingSchema>;

export const defaultVmStatusMapping: VmStatusMapping = {
  identified: ["Pending", "Acknowledged"],
  in_progress: ["In Progress"],
  fixed: ["Fixed", "Verified"],
  risk_accepted: [],
  false_positive: [],
};

export const forwardingSettingsSchema = z.object({
  assessmentMode: z.enum(assessmentModes),
  /** The unified assessment; in per-project mode, the default for projects without their own. */
  unifiedAssessment: assessmentRefSchema.nullable(),
  /** FQDN asset id (a project) → its assessment. */
  projectAssessments: z.record(z.uuid(), assessmentRefSchema),
  autoSync: z.boolean(),
  statusMapping: vmStatusMappingSchema,
});
export type ForwardingSettings = z.infer<typeof forwardingSettingsSchema>;

export const defaultForwardingSettings: ForwardingSettings = {
  assessmentMode: "unified",
  unifiedAssessment: null,
  projectAssessments: {},
  autoSync: true,
  statusMapping: defaultVmStatusMapping,
};
