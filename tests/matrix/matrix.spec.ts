import { scenarioTests } from '../../lib/index.ts';
import { FAMILIES } from '../../scenarios/index.ts';

scenarioTests(FAMILIES);
