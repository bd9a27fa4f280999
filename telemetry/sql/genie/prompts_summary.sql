-- Returns one row of counts over the Genie prompts that match the list's filters: prompts, failed,
-- thumbs_down, rephrased (see genie/_prompt_rows for the rule), with_sql and readable (how many of
-- them the viewer may read). Counts are visible to every viewer; only text is restricted.
WITH
-- @include genie/_prompt_rows
counted AS (
  SELECT
    count(*) AS prompts,
    count_if(status = 'FAILED') AS failed,
    count_if(feedback_rating = 'NEGATIVE') AS thumbs_down,
    count_if(problem LIKE '%rephrased%') AS rephrased,
    count_if(generated_sql IS NOT NULL) AS with_sql,
    count_if(readable) AS readable
  FROM prompt_matches
)
SELECT
  prompts,
  coalesce(failed, 0) AS failed,
  coalesce(thumbs_down, 0) AS thumbs_down,
  coalesce(rephrased, 0) AS rephrased,
  coalesce(with_sql, 0) AS with_sql,
  coalesce(readable, 0) AS readable
FROM counted
