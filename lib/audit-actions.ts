// What the audit log records, in the words the Audit log page shows. Shared by the server and the page.
export const auditActions = {
  "auth.sign_in_failed": "Sign-in failed",
  "company.created": "Company created",
  "member.invited": "Member invited",
  "invitation.revoked": "Invitation revoked",
  "invitation.accepted": "Invitation accepted",
  "member.role_changed": "Role changed",
  "member.permissions_changed": "Permissions changed",
  "member.removed": "Member removed",
  "member.created": "Member created",
  "member.password_reset": "Password reset",
  "integration.credentials_replaced": "Credentials replaced",
  "integration.connected": "Integration connected",
  "integration.status_mapping_changed": "Status mapping changed",
  "integration.severity_filter_changed": "Severity filter changed",
  "integration.reconciliation_changed": "Reconciliation interval changed",
  "integration.application_labels_changed": "Application labels changed",
  "integration.domains_added": "Domains added",
  "integration.domain_removed": "Domain removed",
  "integration.removed": "Integration removed",
  "integration.webhook_token_rotated": "Webhook token rotated",
  "integration.webhook_token_revealed": "Webhook token revealed",
  "integration.import_requested": "Import run",
  "issue.status_changed": "Issue status changed",
  "asset.business_impact_changed": "Business impact changed",
} as const;
export type AuditAction = keyof typeof auditActions;
export const auditActionNames = Object.keys(auditActions) as [AuditAction, ...AuditAction[]];
