/**
 * Charts drawn on the server as SVG: pure functions from data to markup, every text escaped,
 * each chart named for assistive technology (<title>, <desc>, role="img", aria-labelledby), with
 * its numbers written as text so it reads without JavaScript, without colour and on paper.
 */
export { barChartSvg, TONE_FILL, type Bar, type BarChart, type Tone } from './bar-chart.js';
export { monthChartSvg, type MonthChart, type MonthPoint } from './month-chart.js';
export { escapeXml } from './escape.js';
export type { ChartText } from './frame.js';
