// Runs every Tempest suite against its own server, workspace and port, all at once: the suites
// share nothing but the machine, and most of a run is Tempest waiting on status polls.
// One suite alone: node --test --test-name-pattern=volume dist/test/tempest/tempest.test.js
import { describe, test } from 'node:test';
import { computeSuite } from './compute.suite.js';
import { DEFAULT_RUN_TIMEOUT_MS, runTempestSuite, type TempestSuite } from './harness.js';
import { imageSuite } from './image.suite.js';
import { volumeSuite } from './volume.suite.js';
import { networkSuite } from './network.suite.js';
import { orchestrationSuite } from './orchestration.suite.js';
import { heatFunctionalSuite } from './heat-functional.suite.js';

const SUITES: TempestSuite[] = [
  imageSuite,
  volumeSuite,
  computeSuite,
  networkSuite,
  orchestrationSuite,
  heatFunctionalSuite,
];
/** Beyond a suite's own run timeout: server start, tempest init and reading the results. */
const SET_UP_MS = 5 * 60_000;

describe('tempest', { concurrency: true }, () => {
  for (const suite of SUITES)
    test(
      `tempest ${suite.name} suite runs exactly as expected`,
      { timeout: (suite.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS) + SET_UP_MS },
      (t) => runTempestSuite(t, suite),
    );
});
