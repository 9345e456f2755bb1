import { loadSrd } from '../srd';
import { fixtureContent } from '../fixtures/character-content';
import { propertySuite } from './property-suite';

propertySuite('fixture content', () => fixtureContent, 300);
propertySuite('SRD content', loadSrd, 300);
