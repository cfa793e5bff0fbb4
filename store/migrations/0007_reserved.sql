-- Reserved: number 7 belongs to another branch's migration (scene
-- presence). This placeholder keeps the numbers without a gap until that
-- branch is merged; the merge replaces this file with it.
SELECT 1;
