import { garblingSchemeContract } from '../../test/gc/garbling-contract.ts';
import { HalfGates } from './half-gates.ts';

garblingSchemeContract(new HalfGates());
