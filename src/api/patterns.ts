/** The random id a browser keeps for polls and counters (the widget's localStorage, the no-JS page's cookie). */
export const VOTER_ID = /^[A-Za-z0-9_-]{8,128}$/;
