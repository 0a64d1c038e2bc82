-- The staff screens for 包保 and sealed-building runs.

-- How a 包保 contact reached the household (电话 or 上门); earlier contacts did not say.
ALTER TABLE care_contacts ADD COLUMN method TEXT CHECK (method IN ('phone', 'visit'));

-- The 包保 list: whether a household belongs to a special group, and which, without a scan.
CREATE INDEX member_groups_by_household ON member_groups (household_id, grp);

-- The runs of a worker's grids, newest first.
CREATE INDEX supply_runs_by_grid ON supply_runs (grid_id, created_at DESC);
