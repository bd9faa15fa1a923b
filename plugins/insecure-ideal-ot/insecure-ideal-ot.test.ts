import { otExtensionContract } from '../../test/ot/ot-contract.ts';
import { InsecureIdealOt } from './insecure-ideal-ot.ts';

otExtensionContract('insecure-ideal-ot', () => new InsecureIdealOt());
