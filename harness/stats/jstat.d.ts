/** The part of jStat (no published types) that `distributions.ts` uses. */
declare module 'jstat' {
  interface JStat {
    /** Regularised incomplete beta function I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    /** Regularised lower incomplete gamma function P(a, x). */
    lowRegGamma(a: number, x: number): number;
    /** ln Γ(x). */
    gammaln(x: number): number;
    normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number };
    chisquare: { inv(p: number, dof: number): number; cdf(x: number, dof: number): number };
    studentt: { inv(p: number, dof: number): number; cdf(x: number, dof: number): number };
  }
  const jStat: JStat;
  export default jStat;
}
