-- 012_roster: the 低保 rosters as counties send them (issue 14; src/roster/).
--
-- A roster comes one row per person (姓名, 身份证号 under their 户主) or one row
-- per household (户主姓名, 户主身份证号, 家庭人口, 保障人数, 月保障金额); it may
-- be the whole county's, which the town splits by village. Columns added:
--   roster_imports.layout   'person' or 'household' (NULL: imported before 012,
--                           one row per person);
--   roster_imports.month    the month the roster is for ("2019-04", from its
--                           title row such as "XX县2019年4月农村低保花名册"), or NULL;
--   dibao_roster.covered    保障人数 of the row's household as the roster gives
--                           it (a household row without it: its 家庭人口; NULL:
--                           not given, the household's rows count then);
--   dibao_roster.roster_village  the village (12-digit code) the row was assigned
--                           to when imported: from a village-code column or the
--                           村 name matched against the villages table; '' when
--                           it names a place that is not this store's; NULL when
--                           the row says nothing (a village's own roster: its own).
-- Synced as the rest of each table (a village's rows go to the town).

ALTER TABLE roster_imports ADD COLUMN layout TEXT CHECK (layout IS NULL OR layout IN ('person', 'household'));
ALTER TABLE roster_imports ADD COLUMN month TEXT;
ALTER TABLE dibao_roster ADD COLUMN covered INTEGER CHECK (covered IS NULL OR covered BETWEEN 0 AND 99);
ALTER TABLE dibao_roster ADD COLUMN roster_village TEXT;

-- One village's rows of a county roster at the town.
CREATE INDEX dibao_roster_village ON dibao_roster(import_id, roster_village);
