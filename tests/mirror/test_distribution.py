"""The demo data has the shapes later pages are judged on: seasonality, heavy tails, churn, failures."""

from __future__ import annotations

from tests.mirror.conftest import scalar

HUMANS = ("user_identity.email LIKE '%@example.com' "
          "AND user_identity.email NOT SIMILAR TO '(qa-bot|test|loadtest|synthetic).*'")


def test_weekdays_are_much_busier_than_weekends(con, t):
    weekday, weekend = con.execute(f"""
        SELECT avg(n) FILTER (WHERE dow BETWEEN 1 AND 5), avg(n) FILTER (WHERE dow IN (0, 6)) FROM (
          SELECT event_date, dayofweek(event_date) AS dow, count(*) AS n FROM {t["audit"]}
          WHERE event_date > (SELECT min(event_date) FROM {t["audit"]})
            AND event_date < (SELECT max(event_date) FROM {t["audit"]}) AND {HUMANS}
          GROUP BY ALL)""").fetchone()
    assert weekday > 3 * weekend


def test_business_hours_peak_in_local_time(con, t):
    share = scalar(
        con,
        f"""
        SELECT avg(CASE WHEN hour(event_time - INTERVAL 5 HOUR) BETWEEN 8 AND 17 THEN 1 ELSE 0 END)
        FROM {t["audit"]} a JOIN {t["workspaces"]} w USING (workspace_id)
        WHERE w.workspace_name = 'acme-prod-us-east' AND {HUMANS}""",
    )
    assert share > 0.7


def test_user_activity_is_heavy_tailed(con, t):
    top_share, median, mean = con.execute(f"""
        WITH u AS (SELECT user_identity.email AS e, count(*) AS n
                   FROM {t["audit"]} WHERE {HUMANS} GROUP BY 1),
             r AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS rk, count(*) OVER () AS users FROM u)
        SELECT sum(n) FILTER (WHERE rk <= users / 10) / sum(n), median(n), avg(n) FROM r""").fetchone()
    assert top_share > 0.35
    assert median < 0.8 * mean


def test_users_join_and_churn(con, t):
    joined, churned, users = con.execute(f"""
        WITH u AS (SELECT user_identity.email AS e, min(event_time) AS first, max(event_time) AS last
                   FROM {t["audit"]} WHERE {HUMANS} GROUP BY 1),
             w AS (SELECT window_start, window_end FROM ops_console_meta.build_info)
        SELECT count_if(first > window_start + INTERVAL 7 DAY), count_if(last < window_end - INTERVAL 7 DAY),
               count(*)
        FROM u, w""").fetchone()
    assert joined > 0.03 * users and churned > 0.03 * users


def test_login_failures_are_rare_but_present_with_an_incident_spike(con, t):
    ok_share = scalar(
        con,
        f"""SELECT avg(CASE WHEN response.status_code = 200 THEN 1 ELSE 0 END) FROM {t["audit"]}
                               WHERE service_name = 'accounts' AND action_name LIKE 'mintOAuth%'""",
    )
    assert 0.9 < ok_share < 1.0
    peak, typical = con.execute(f"""
        SELECT max(rate), median(rate) FROM (
          SELECT workspace_id, event_date, avg(CASE WHEN response.status_code = 500 THEN 1 ELSE 0 END) AS rate
          FROM {t["audit"]} WHERE service_name = 'accounts' AND action_name LIKE 'mintOAuth%'
          GROUP BY ALL HAVING count(*) >= 20)""").fetchone()
    assert peak > 0.1 and typical < 0.02, "an OAuth incident day should stand out"


def test_genie_statuses_and_failure_rates(con, t):
    rows = dict(
        con.execute(f"SELECT status, count(*) FROM {t['genie_message_details']} GROUP BY 1").fetchall()
    )
    total = sum(rows.values())
    assert rows.get("COMPLETED", 0) / total > 0.7
    assert 0.03 < rows.get("FAILED", 0) / total < 0.3
    assert rows.get("CANCELLED", 0) > 0
    types = scalar(
        con, f"SELECT count(DISTINCT error_type) FROM {t['genie_message_details']} WHERE status = 'FAILED'"
    )
    assert types >= 4
    failed_sql = scalar(
        con,
        f"""SELECT avg(CASE WHEN execution_status = 'FAILED' THEN 1 ELSE 0 END)
                                  FROM {t["query_history"]} WHERE query_source.genie_space_id IS NOT NULL""",
    )
    assert 0.005 < failed_sql < 0.2
    ratings = dict(
        con.execute(f"""SELECT request_params['feedback_rating'], count(*) FROM {t["audit"]}
        WHERE action_name = 'updateConversationMessageFeedback' GROUP BY 1""").fetchall()
    )
    assert set(ratings) == {"POSITIVE", "NEGATIVE"} and ratings["POSITIVE"] > ratings["NEGATIVE"]


def test_query_durations_are_heavy_tailed(con, t):
    p50, p99 = (
        con.execute(f"""SELECT quantile_cont(total_duration_ms, 0.5), quantile_cont(total_duration_ms, 0.99)
                               FROM {t["query_history"]}""").fetchone()
    )
    assert p99 > 10 * p50


def test_apps_grow_and_die(con, t):
    shrinking, growing = con.execute(f"""
        WITH w AS (SELECT window_start AS s, window_end AS e FROM ops_console_meta.build_info),
        l AS (SELECT i.name,
                     count_if(a.event_time < w.s + (w.e - w.s) / 3) AS early,
                     count_if(a.event_time > w.e - (w.e - w.s) / 3) AS late
              FROM {t["audit"]} a, w
              JOIN {t["apps_inventory"]} i ON a.request_params['client_id'] = i.oauth2_app_client_id
              WHERE a.action_name = 'mintOAuthAuthorizationCode' GROUP BY 1)
        SELECT count_if(early >= 10 AND late < 0.3 * early), count_if(late >= 10 AND late > 2 * early)
        FROM l""").fetchone()
    assert shrinking >= 1 and growing >= 1


def test_tracker_journeys_narrow_like_a_funnel(con, t):
    counts = dict(con.execute(f"SELECT action, count(*) FROM {t['tracker']} GROUP BY 1").fetchall())
    assert counts["app_start"] <= counts["question_asked"]
    assert counts["question_asked"] > counts["sql_generated"] > counts["results_downloaded"]
    assert counts["suggested_question_clicked"] < counts["question_asked"]
    errors = {a for a in counts if a.startswith("error:")}
    assert {"error:llm_error", "error:sql_error"} <= errors and counts["sql_edited"] > 0


def test_test_accounts_and_service_principals_exist_to_be_filtered(con, t):
    qa = scalar(con, f"SELECT count(*) FROM {t['audit']} WHERE user_identity.email LIKE 'qa-bot@%'")
    sps = scalar(
        con,
        f"""SELECT count(DISTINCT user_identity.email) FROM {t["audit"]}
                          WHERE regexp_matches(user_identity.email, '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-')""",
    )
    assert qa > 0 and sps > 0
    share = scalar(
        con,
        f"""SELECT avg(CASE WHEN service_name IN ('aibiGenie', 'apps') OR action_name LIKE '%OAuth%'
                            THEN 1 ELSE 0 END) FROM {t["audit"]}""",
    )
    assert share < 0.3, "app and Genie rows should be a minority of the audit log"
