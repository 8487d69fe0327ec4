-- Status reads decide which assets are fresh from columns, without reading summaries: the
-- newest materialization's inputs and the data versions it read (`key\0version\0…` in key
-- order, NULL when a key or version holds \0 and the encoding would be ambiguous), its
-- artefact location and end time (for the artefact probe); and, per indexed check result,
-- the materialization it is about and whether it passed. Status rows are those of
-- unpartitioned assets: partition rows (a log may hold millions) leave these columns NULL.
ALTER TABLE asset_state ADD COLUMN input_versions TEXT;
ALTER TABLE asset_state ADD COLUMN location TEXT;
ALTER TABLE asset_state ADD COLUMN ended_at INTEGER;
ALTER TABLE check_latest ADD COLUMN materialization_id INTEGER;
ALTER TABLE check_latest ADD COLUMN passed INTEGER;

UPDATE asset_state SET
  location = materialization_summary ->> '$.materialization.artefact.location',
  ended_at = materialization_summary ->> '$.materialization.endedAt',
  input_versions = (
    SELECT CASE
      WHEN count(*) = 0 THEN ''
      WHEN sum(instr(j.key, char(0)) + instr(j.value ->> '$.dataVersion', char(0))) > 0 THEN NULL
      ELSE group_concat(j.key || char(0) || (j.value ->> '$.dataVersion'), char(0) ORDER BY j.key)
    END
    FROM json_each(materialization_summary, '$.materialization.inputs') j)
WHERE partition = '' AND materialization_summary IS NOT NULL;

UPDATE check_latest SET
  materialization_id = (SELECT body ->> '$.materializationId' FROM events WHERE id = check_latest.event_id),
  passed = (SELECT body ->> '$.check.passed' FROM events WHERE id = check_latest.event_id)
WHERE partition = '';

-- The usable materialization's summary is kept only when it is not the newest one (a blocking
-- check failed on the newest): otherwise the row holds one summary, not two copies of it. A
-- partition row keeps none once it is next written (its records are made from the events).
UPDATE asset_state SET usable_summary = NULL WHERE partition = '' AND usable_id IS materialization_id;
