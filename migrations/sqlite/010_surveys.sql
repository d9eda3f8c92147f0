-- Surveys (issue 14): ordered questions answered in one response. Running counts are kept in the
-- response's transaction (surveys.total_responses, survey_questions.answered, survey_choices.count,
-- survey_value_counts), so results are read in O(questions), never by scanning responses.
CREATE TABLE surveys (
  id                 TEXT PRIMARY KEY,
  site_id            TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  title              TEXT NOT NULL,
  intro              TEXT,
  template           TEXT,                                -- e.g. hai-long-dich-vu-cong; NULL when built by hand
  opens_at           INTEGER,
  closes_at          INTEGER,
  closed_at          INTEGER,
  results_visibility TEXT NOT NULL CHECK (results_visibility IN ('always', 'after_vote', 'after_close')),
  total_responses    INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX surveys_site ON surveys(site_id, created_at);

CREATE TABLE survey_questions (
  id        TEXT PRIMARY KEY,
  survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  type      TEXT NOT NULL CHECK (type IN ('single', 'multiple', 'scale', 'matrix', 'text')),
  title     TEXT NOT NULL,
  section   TEXT,
  required  INTEGER NOT NULL DEFAULT 0,
  settings  TEXT NOT NULL DEFAULT '{}',                   -- JSON: maxChoices, scale, multiline, maxLength
  answered  INTEGER NOT NULL DEFAULT 0,                   -- responses answering it
  UNIQUE (survey_id, position)
);

-- Options of single/multiple questions and items of matrix questions.
CREATE TABLE survey_choices (
  id          TEXT PRIMARY KEY,
  question_id TEXT NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
  survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  label       TEXT NOT NULL,
  count       INTEGER NOT NULL DEFAULT 0,                 -- times chosen (option) or answered (item)
  UNIQUE (question_id, position)
);
CREATE INDEX survey_choices_survey ON survey_choices(survey_id);

-- Distributions of scale questions (key_id = question id) and matrix items (key_id = item id).
CREATE TABLE survey_value_counts (
  survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  question_id TEXT NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
  key_id      TEXT NOT NULL,
  value       INTEGER NOT NULL,
  count       INTEGER NOT NULL,
  PRIMARY KEY (key_id, value)
);
CREATE INDEX survey_value_counts_survey ON survey_value_counts(survey_id);

CREATE TABLE survey_responses (
  id         INTEGER PRIMARY KEY,
  survey_id  TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  voter_hash TEXT NOT NULL,
  ip_hash    TEXT,                                       -- erased by the retention job, as ballots'
  user_agent TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (survey_id, voter_hash)                          -- one response per respondent, enforced here
);
CREATE INDEX survey_responses_ip ON survey_responses(survey_id, ip_hash, created_at);
CREATE INDEX survey_responses_time ON survey_responses(survey_id, created_at);

CREATE TABLE survey_answers (
  response_id INTEGER NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
  question_id TEXT NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
  choice_id   TEXT NOT NULL DEFAULT '',                   -- the option chosen, or the matrix item; '' otherwise
  value       INTEGER,
  text        TEXT,
  PRIMARY KEY (response_id, question_id, choice_id)
);
CREATE INDEX survey_answers_question ON survey_answers(question_id, response_id);
