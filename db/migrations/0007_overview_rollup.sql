CREATE TABLE "issue_open_counts" (
	"company_id" uuid NOT NULL,
	"severity" "severity" NOT NULL,
	"open_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "issue_open_counts_company_id_severity_pk" PRIMARY KEY("company_id","severity")
);
--> statement-breakpoint
CREATE TABLE "issue_week_rollup" (
	"company_id" uuid NOT NULL,
	"week_start" timestamp with time zone NOT NULL,
	"severity" "severity" NOT NULL,
	"new_count" integer DEFAULT 0 NOT NULL,
	"fixed_count" integer DEFAULT 0 NOT NULL,
	"open_delta" integer DEFAULT 0 NOT NULL,
	"fix_count" integer DEFAULT 0 NOT NULL,
	"fix_seconds" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "issue_week_rollup_company_id_week_start_severity_pk" PRIMARY KEY("company_id","week_start","severity")
);
--> statement-breakpoint
ALTER TABLE "issue_open_counts" ADD CONSTRAINT "issue_open_counts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_week_rollup" ADD CONSTRAINT "issue_week_rollup_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The rollup's rules are written beside its table in db/schema/issues.ts. A fix: into Fixed from another status.
CREATE FUNCTION issue_rollup_history_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH n AS (
    SELECT h.company_id, h.issue_id, h.created_at, i.severity, i.created_at AS issue_created_at,
           date_trunc('week', h.created_at, 'UTC') AS week,
           (h.from_status IS NULL AND h.to_status IN ('identified', 'in_progress')) AS is_new,
           (h.to_status = 'fixed' AND h.from_status IS NOT NULL AND h.from_status <> 'fixed') AS is_fix,
           (CASE WHEN h.to_status IN ('identified', 'in_progress') THEN 1 ELSE 0 END)
             - (CASE WHEN h.from_status IN ('identified', 'in_progress') THEN 1 ELSE 0 END) AS delta
    FROM new_rows h JOIN issues i ON i.id = h.issue_id
  ),
  -- The (issue, week) pairs whose every fix arrived in this statement: their first fix of the week is counted now,
  -- whatever order the rows were written in.
  first_fixes AS (
    SELECT n.company_id, n.week, min(n.severity) AS severity
    FROM n WHERE n.is_fix
    GROUP BY n.company_id, n.week, n.issue_id
    HAVING count(*) = (SELECT count(*) FROM status_history s
                       WHERE s.issue_id = n.issue_id AND s.created_at >= n.week AND s.created_at < n.week + interval '7 days'
                         AND s.to_status = 'fixed' AND s.from_status IS NOT NULL AND s.from_status <> 'fixed')
  ),
  contributions AS (
    SELECT n.company_id, n.week, n.severity, n.is_new::int AS new_count, 0 AS fixed_count, n.delta AS open_delta,
           n.is_fix::int AS fix_count,
           CASE WHEN n.is_fix THEN extract(epoch FROM n.created_at - coalesce(b.at, n.issue_created_at))::float8 ELSE 0 END AS fix_seconds
    FROM n
    -- When the fixed issue was first recorded or last reopened (probed for fixes only).
    LEFT JOIN LATERAL (
      SELECT max(s.created_at) AS at FROM status_history s
      WHERE n.is_fix AND s.issue_id = n.issue_id AND s.created_at <= n.created_at
        AND (s.from_status IS NULL OR (s.from_status = 'fixed' AND s.to_status <> 'fixed'))
    ) b ON true
    UNION ALL
    SELECT company_id, week, severity, 0, 1, 0, 0, 0 FROM first_fixes
  )
  INSERT INTO issue_week_rollup AS r (company_id, week_start, severity, new_count, fixed_count, open_delta, fix_count, fix_seconds)
  SELECT company_id, week, severity, sum(new_count), sum(fixed_count), sum(open_delta), sum(fix_count), sum(fix_seconds)
  FROM contributions
  GROUP BY company_id, week, severity
  HAVING sum(new_count) <> 0 OR sum(fixed_count) <> 0 OR sum(open_delta) <> 0 OR sum(fix_count) <> 0
  -- One lock order for every writer, so two statements touching the same rows wait rather than deadlock.
  ORDER BY company_id, week, severity
  ON CONFLICT (company_id, week_start, severity) DO UPDATE SET
    new_count = r.new_count + excluded.new_count, fixed_count = r.fixed_count + excluded.fixed_count,
    open_delta = r.open_delta + excluded.open_delta, fix_count = r.fix_count + excluded.fix_count,
    fix_seconds = r.fix_seconds + excluded.fix_seconds;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER issue_rollup_history_inserted AFTER INSERT ON status_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_rollup_history_inserted();
--> statement-breakpoint
-- Open issues per (company, severity): +1 for each open row after the statement, -1 for each before it. A deleted
-- open issue also leaves the open count in the week it is deleted (open_delta), so the trend's earlier weeks keep
-- the count they had. A company being deleted (its row already gone) is skipped: its rows go with it.
CREATE FUNCTION issue_rollup_open_moved(moved jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO issue_open_counts AS o (company_id, severity, open_count)
  SELECT m.company_id, m.severity, m.d
  FROM jsonb_to_recordset(moved) AS m(company_id uuid, severity severity, d int)
  WHERE m.d <> 0 AND EXISTS (SELECT 1 FROM companies c WHERE c.id = m.company_id)
  ORDER BY m.company_id, m.severity
  ON CONFLICT (company_id, severity) DO UPDATE SET open_count = o.open_count + excluded.open_count;
$$;
--> statement-breakpoint
CREATE FUNCTION issue_rollup_issues_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved jsonb;
BEGIN
  -- Each branch names only the transition tables its event has.
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(x) INTO moved FROM (
      SELECT company_id, severity, count(*)::int AS d FROM new_rows WHERE status IN ('identified', 'in_progress') GROUP BY 1, 2) x;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT jsonb_agg(x) INTO moved FROM (
      SELECT company_id, severity, sum(d)::int AS d FROM (
        SELECT company_id, severity, 1 AS d FROM new_rows WHERE status IN ('identified', 'in_progress')
        UNION ALL
        SELECT company_id, severity, -1 FROM old_rows WHERE status IN ('identified', 'in_progress')
      ) y GROUP BY 1, 2) x;
  ELSE
    SELECT jsonb_agg(x) INTO moved FROM (
      SELECT company_id, severity, -count(*)::int AS d FROM old_rows WHERE status IN ('identified', 'in_progress') GROUP BY 1, 2) x;
    INSERT INTO issue_week_rollup AS r (company_id, week_start, severity, open_delta)
    SELECT m.company_id, date_trunc('week', now(), 'UTC'), m.severity, m.d
    FROM jsonb_to_recordset(moved) AS m(company_id uuid, severity severity, d int)
    WHERE EXISTS (SELECT 1 FROM companies c WHERE c.id = m.company_id)
    ORDER BY m.company_id, m.severity
    ON CONFLICT (company_id, week_start, severity) DO UPDATE SET open_delta = r.open_delta + excluded.open_delta;
  END IF;
  IF moved IS NOT NULL THEN
    PERFORM issue_rollup_open_moved(moved);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER issue_rollup_issues_inserted AFTER INSERT ON issues
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_rollup_issues_changed();
--> statement-breakpoint
CREATE TRIGGER issue_rollup_issues_updated AFTER UPDATE ON issues
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_rollup_issues_changed();
--> statement-breakpoint
CREATE TRIGGER issue_rollup_issues_deleted AFTER DELETE ON issues
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION issue_rollup_issues_changed();
--> statement-breakpoint
-- Backfill from the existing history and issues, by the same rules (severity: the issue's current one).
INSERT INTO issue_open_counts (company_id, severity, open_count)
SELECT company_id, severity, count(*)::int FROM issues WHERE status IN ('identified', 'in_progress') GROUP BY company_id, severity;
--> statement-breakpoint
INSERT INTO issue_week_rollup (company_id, week_start, severity, new_count, fixed_count, open_delta, fix_count, fix_seconds)
SELECT h.company_id, date_trunc('week', h.created_at, 'UTC') AS week, i.severity,
       count(*) FILTER (WHERE h.from_status IS NULL AND h.to_status IN ('identified', 'in_progress'))::int,
       count(DISTINCT h.issue_id) FILTER (WHERE h.to_status = 'fixed' AND h.from_status IS NOT NULL AND h.from_status <> 'fixed')::int,
       sum((CASE WHEN h.to_status IN ('identified', 'in_progress') THEN 1 ELSE 0 END)
           - (CASE WHEN h.from_status IN ('identified', 'in_progress') THEN 1 ELSE 0 END))::int,
       count(*) FILTER (WHERE h.to_status = 'fixed' AND h.from_status IS NOT NULL AND h.from_status <> 'fixed')::int,
       coalesce(sum(extract(epoch FROM h.created_at - coalesce(b.at, i.created_at)))
                  FILTER (WHERE h.to_status = 'fixed' AND h.from_status IS NOT NULL AND h.from_status <> 'fixed'), 0)::float8
FROM status_history h
JOIN issues i ON i.id = h.issue_id
LEFT JOIN LATERAL (
  SELECT max(s.created_at) AS at FROM status_history s
  WHERE h.to_status = 'fixed' AND h.from_status IS NOT NULL AND h.from_status <> 'fixed'
    AND s.issue_id = h.issue_id AND s.created_at <= h.created_at
    AND (s.from_status IS NULL OR (s.from_status = 'fixed' AND s.to_status <> 'fixed'))
) b ON true
GROUP BY h.company_id, week, i.severity
HAVING count(*) FILTER (WHERE h.from_status IS NULL AND h.to_status IN ('identified', 'in_progress')) > 0
    OR count(*) FILTER (WHERE h.to_status = 'fixed' AND h.from_status IS NOT NULL AND h.from_status <> 'fixed') > 0
    OR sum((CASE WHEN h.to_status IN ('identified', 'in_progress') THEN 1 ELSE 0 END)
           - (CASE WHEN h.from_status IN ('identified', 'in_progress') THEN 1 ELSE 0 END)) <> 0;
