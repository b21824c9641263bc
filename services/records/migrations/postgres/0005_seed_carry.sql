-- Full-time places an institution's generated cohorts wanted and its licences did not
-- have (positive), or that it took over from earlier institutions (negative). The
-- national seed's later institutions make up the sum, so that the country reaches its
-- total; kept per institution so that a rerun after a kill goes on with the same sum.
ALTER TABLE seed_done ADD COLUMN carry BIGINT NOT NULL DEFAULT 0;
