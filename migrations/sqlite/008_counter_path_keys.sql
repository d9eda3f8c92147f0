-- Page keys that the widget made from the page's path: older widgets stored
-- encodeURIComponent(location.pathname) ("%2Ftin-tuc%2Fa.html"); now the key is the path as the browser
-- gives it ("/tin-tuc/a.html"), the same key the comments widget uses. Only keys that start with an
-- encoded "/" are such keys. encodeURIComponent leaves a path's other characters alone except these,
-- so undoing it is replacing each escape once, "%25" (the "%" of the path's own escapes) last.
-- A key already present under its new spelling is left as it is (nothing is merged or lost).
UPDATE counter_pages
SET page_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      page_key, '%2F', '/'), '%3A', ':'), '%40', '@'), '%24', '$'), '%26', '&'), '%2B', '+'), '%2C', ','), '%3B', ';'), '%3D', '='), '%25', '%')
WHERE page_key LIKE '\%2F%' ESCAPE '\'
  AND NOT EXISTS (
    SELECT 1 FROM counter_pages AS n WHERE n.site_id = counter_pages.site_id
      AND n.page_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      counter_pages.page_key, '%2F', '/'), '%3A', ':'), '%40', '@'), '%24', '$'), '%26', '&'), '%2B', '+'), '%2C', ','), '%3B', ';'), '%3D', '='), '%25', '%'));

-- Dedup rows last only 30 minutes: those of old keys are simply dropped.
DELETE FROM counter_page_seen WHERE page_key LIKE '\%2F%' ESCAPE '\';
