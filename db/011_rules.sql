-- 011_rules: what the 两不愁三保障 checks of every registered household read and
-- the ledgers did not yet hold (src/rules/rules_guarantee.c):
--   - drinking-water safety (饮水安全有保障), recorded with the house
--     assessment it is checked with (住房安全 form): NULL when the assessment
--     did not look at the water;
--   - basic medical insurance (城乡居民基本医疗保险, 基本医疗有保障) as an
--     insurance kind beside the supplementary medical insurance.
ALTER TABLE housing ADD COLUMN drinking_water TEXT;   -- code_list drinking_water

INSERT INTO code_list(list, code, label, sort) VALUES
    ('drinking_water', 'safe', '饮水安全', 1),
    ('drinking_water', 'unsafe', '饮水不安全', 2),
    ('insurance_kind', 'basic_medical', '城乡居民基本医疗保险', 5);

-- household-no-medical-insurance looks up each household's insurance of a kind
-- and year: without this a town's check would scan the whole table per household.
CREATE INDEX insurance_household ON insurance(household_id, kind, year);
