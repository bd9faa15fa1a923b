/** This repository's features use the step library exactly as a user's project does (gazelle-ts/harness-steps). */
import '../../api/harness-steps.ts';
