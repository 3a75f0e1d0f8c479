-- Placeholder, replaced below.
SELECT 1;
