/** The largest-remainder percentages live with the rest of the ballot engine (src/ballots/). */
export { percentages } from '../ballots/percent.js';
