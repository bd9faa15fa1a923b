/**
 * Cucumber parameter types of the step library: a phase (setup, offline, online), a direction
 * (client to server, server to client), a size ("2 MB", "300 kB", "1.5 MiB"), a time limit
 * ("800 ms", "2.5 s") and an observing party of the privacy audit (client, server). Names are
 * specific to this library, so a user's own types do not collide.
 */
import { defineParameterType } from '@cucumber/cucumber';
import type { Party } from '../../core/channel.ts';
import { BYTE_SIZE_PATTERN, DURATION_PATTERN, PHASES, parseByteSize, parseDuration, type Direction, type Phase } from '../budgets.ts';

defineParameterType({ name: 'inferencePhase', regexp: new RegExp(PHASES.join('|')), transformer: (text: string): Phase => text as Phase });
defineParameterType({ name: 'trafficDirection', regexp: /client to server|server to client/, transformer: (text: string): Direction => text as Direction });
defineParameterType({ name: 'byteSize', regexp: BYTE_SIZE_PATTERN, transformer: parseByteSize });
defineParameterType({ name: 'timeLimit', regexp: DURATION_PATTERN, transformer: parseDuration });
defineParameterType({ name: 'auditObserver', regexp: /client|server/, transformer: (text: string): Party => text as Party });
