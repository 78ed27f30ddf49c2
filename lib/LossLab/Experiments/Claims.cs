using System.Globalization;

namespace LossLab.Experiments;

/// <summary>The verdict of a falsifiable claim.</summary>
public enum Verdict
{
    /// <summary>The whole interval lies on the claimed side of the threshold (or the value agrees with its reference).</summary>
    Held,
    /// <summary>The whole interval lies on the other side (or the value disagrees with its reference).</summary>
    Failed,
    /// <summary>The interval contains the threshold: the run cannot tell.</summary>
    Inconclusive,
    /// <summary>Not judged: the claim needs a larger scale than the run's (smoke scale decides nothing), has fewer than 3
    /// replicates, concerns a model that did not beat its baseline, or cannot be tested fairly here (see the reason).</summary>
    NotRun,
}

/// <summary>What kind of test a claim is.</summary>
public enum ClaimKind
{
    /// <summary>A comparison over replicates (seeds): an estimate with an interval against a threshold.</summary>
    Effect,
    /// <summary>A value against a published or independently computed reference, within a tolerance.</summary>
    Agreement,
    /// <summary>A verdict computed by hand with <see cref="Claims.Check"/>: not part of claim record version 2.</summary>
    Check,
}

/// <summary>The test behind an effect claim (claims record version 2): held when the whole interval lies on the
/// <see cref="Direction"/> side of <see cref="Threshold"/>, failed when it lies wholly on the other side.</summary>
public sealed record EffectTest(string Statistic, double Estimate, double Lower, double Upper, double Level,
    double Threshold, string Direction, int N, string Method)
{
    /// <summary>The verdict this test gives by the protocol's rule (n below 3 or a non-finite interval: inconclusive).</summary>
    public Verdict Decide()
    {
        if (N < 3 || !double.IsFinite(Lower) || !double.IsFinite(Upper)) return Verdict.Inconclusive;
        return Direction == ">"
            ? Lower > Threshold ? Verdict.Held : Upper < Threshold ? Verdict.Failed : Verdict.Inconclusive
            : Upper < Threshold ? Verdict.Held : Lower > Threshold ? Verdict.Failed : Verdict.Inconclusive;
    }
}

/// <summary>The test behind an agreement claim: |value − reference| (relative: divided by |reference|) ≤ tolerance.</summary>
public sealed record AgreementTest(double Value, double Reference, double Tolerance, bool Relative)
{
    /// <summary>The absolute or relative error.</summary>
    public double Error => Relative ? Math.Abs(Value - Reference) / Math.Abs(Reference) : Math.Abs(Value - Reference);

    /// <summary>Held within the tolerance, failed outside it, inconclusive when the value is not finite.</summary>
    public Verdict Decide() => !double.IsFinite(Value) ? Verdict.Inconclusive : Error <= Tolerance ? Verdict.Held : Verdict.Failed;
}

/// <summary>One claim, as recorded in a notebook's claims output (<c>metadata.losslab.claims</c>, record version 2).</summary>
public sealed record ClaimRecord(
    string Id, string Paper, string Claim, string Expected, string Observed,
    IReadOnlyDictionary<string, double> Values, Verdict Verdict, string Scale)
{
    /// <summary>Effect, agreement, or a hand-computed check.</summary>
    public ClaimKind Kind { get; init; } = ClaimKind.Check;

    /// <summary>The interval test of an effect claim.</summary>
    public EffectTest? Test { get; init; }

    /// <summary>The reference of an agreement claim.</summary>
    public AgreementTest? Agreement { get; init; }

    /// <summary>Why the claim is not run or inconclusive, when that is not the interval alone.</summary>
    public string? Reason { get; init; }

    /// <summary>The verdict as the claims record spells it: held, failed, inconclusive or not-run.</summary>
    public string VerdictText => Verdict switch
    {
        Verdict.Held => "held", Verdict.Failed => "failed", Verdict.Inconclusive => "inconclusive", _ => "not-run",
    };

    /// <summary>The kind as the claims record spells it.</summary>
    public string KindText => Kind switch { ClaimKind.Effect => "effect", ClaimKind.Agreement => "agreement", _ => "check" };
}

/// <summary>
/// The claims of a notebook (claims record version 2, DESIGN.md). An effect claim is an estimate with its interval
/// against a threshold, built from per-seed numbers (or a <see cref="PairedComparison"/> of two methods) by <c>Paired</c>, <c>OneSample</c>,
/// <c>RankCorrelation</c> or <c>Slope</c>; an agreement claim is a value against a reference
/// (<see cref="Agreement"/>). The verdict is never given by hand: it follows from the test, and is not-run at smoke scale
/// or below the claim's <c>needs</c>, and inconclusive when the model did not beat its baseline. Displayed, a notebook
/// engine shows the table and writes the records into the output's metadata.
/// </summary>
public sealed class Claims
{
    const string SmokeReason = "smoke scale only shows that the notebook runs; it decides no claim";
    readonly List<ClaimRecord> records = [];

    /// <summary>Starts an empty list of claims for a run at <paramref name="scale"/> (smoke, default or paper).</summary>
    public Claims(string scale)
    {
        if (!RunScales.TryParse(scale, out _))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be smoke, default or paper.");
        Scale = scale;
    }

    /// <summary>Starts an empty list of claims for a run at <paramref name="scale"/>.</summary>
    public Claims(RunScale scale) : this(scale.Name()) { }

    /// <summary>The scale of the run.</summary>
    public string Scale { get; }

    /// <summary>The claims recorded so far, in order.</summary>
    public IReadOnlyList<ClaimRecord> Records => records;

    /// <summary>A paired comparison over seeds: the mean of aᵢ − bᵢ (times <paramref name="scaleBy"/>, e.g. 100 for
    /// points) with its interval, against <paramref name="threshold"/> in <paramref name="direction"/>. <c>baseline</c>
    /// (in every effect claim) is null when there is no baseline to beat; otherwise whether the trained models beat it,
    /// and the reason written when they did not (the claim is then not judged: not-run with that reason).</summary>
    internal ClaimRecord Paired(string id, string paper, string claim, IReadOnlyList<double> a, IReadOnlyList<double> b,
        string statistic, double threshold = 0, string direction = ">", double scaleBy = 1, string unit = "",
        IntervalMethod method = IntervalMethod.StudentT, string needs = "default", (bool Beaten, string Reason)? baseline = null,
        IReadOnlyDictionary<string, double>? values = null, string? expected = null, string? observed = null, int seed = 0)
    {
        CheckDirection(direction);
        CheckThreshold(threshold);
        if (!(scaleBy > 0) || !double.IsFinite(scaleBy))
            throw new ArgumentOutOfRangeException(nameof(scaleBy), scaleBy, "scaleBy must be a positive finite factor (100 for points).");
        var diffs = Diffs(a, b, scaleBy);
        var v = new Dictionary<string, double>(values ?? new Dictionary<string, double>())
        {
            ["mean_a"] = a.Average(), ["mean_b"] = b.Average(),
        };
        return FromSample(id, paper, claim, diffs, statistic, threshold, direction, unit, method, needs, baseline, v, expected, observed,
            seed, paired: true);
    }

    /// <summary>A paired claim on a comparison of two methods (<see cref="MethodComparison{TRun}.Paired"/>): the mean of
    /// A − B over the seeds both ran, as the per-seed overload;
    /// the statistic names both methods and the metric, so the claim's text and its test cannot drift apart.</summary>
    internal ClaimRecord Paired(string id, string paper, string claim, PairedComparison comparison, double threshold = 0,
        string direction = ">", double scaleBy = 1, string unit = "", IntervalMethod method = IntervalMethod.StudentT,
        string needs = "default", (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null,
        string? expected = null, string? observed = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var unitText = unit.Trim().Length > 0 ? $" ({unit.Trim()})" : "";
        return Paired(id, paper, claim, comparison.ValuesA, comparison.ValuesB,
            $"paired difference of {comparison.Metric}, {comparison.A} − {comparison.B}{unitText}", threshold, direction, scaleBy, unit,
            method, needs, baseline, values, expected, observed);
    }

    /// <summary>A paired comparison over seeds: the mean of aᵢ − bᵢ (times the expectation's factor, e.g. 100 for points)
    /// with its interval, tested as <paramref name="expect"/> says (its threshold, direction, unit and interval write both
    /// the test and the "expected" text). <c>baseline</c> (in every effect claim) is null when there is no baseline to
    /// beat; otherwise whether the trained models beat it, and the reason written when they did not (the claim is then
    /// not judged: not-run with that reason).</summary>
    public ClaimRecord Paired(string id, string paper, string claim, IReadOnlyList<double> a, IReadOnlyList<double> b,
        string statistic, Expect expect, (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null)
    {
        ArgumentNullException.ThrowIfNull(expect);
        return Paired(id, paper, claim, a, b, statistic, expect.Threshold, expect.Direction, expect.ScaleBy, expect.Unit, expect.Method,
            expect.Needs.Name(), baseline, values);
    }

    /// <summary>A paired claim on a comparison of two methods, tested as <paramref name="expect"/> says (its threshold,
    /// direction, unit and interval write both the test and the "expected" text).</summary>
    public ClaimRecord Paired(string id, string paper, string claim, PairedComparison comparison, Expect expect,
        (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null)
    {
        ArgumentNullException.ThrowIfNull(expect);
        return Paired(id, paper, claim, comparison, expect.Threshold, expect.Direction, expect.ScaleBy, expect.Unit, expect.Method,
            expect.Needs.Name(), baseline, values);
    }

    /// <summary>A one-sample effect on per-seed <paramref name="sample"/>, tested as <paramref name="expect"/> says
    /// (its scale factor multiplies the sample).</summary>
    public ClaimRecord OneSample(string id, string paper, string claim, IReadOnlyList<double> sample, string statistic, Expect expect,
        (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(sample);
        var scaled = expect.ScaleBy == 1 ? sample : [.. sample.Select(v => v * expect.ScaleBy)];
        return OneSample(id, paper, claim, scaled, statistic, expect.Threshold, expect.Direction, expect.Unit, expect.Method,
            expect.Needs.Name(), baseline, values);
    }

    /// <summary>Spearman's rank correlation of <paramref name="x"/> and <paramref name="y"/>, tested as
    /// <paramref name="expect"/> says (its unit and scale factor do not apply to a correlation).</summary>
    public ClaimRecord RankCorrelation(string id, string paper, string claim, IReadOnlyList<double> x, IReadOnlyList<double> y,
        string statistic, Expect expect, (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null)
    {
        ArgumentNullException.ThrowIfNull(expect);
        if (expect.ScaleBy != 1 || expect.Unit.Length > 0)
            throw new ArgumentException($"a rank correlation has no unit; the expectation {expect} has one.", nameof(expect));
        return RankCorrelation(id, paper, claim, x, y, statistic, expect.Threshold, expect.Direction, expect.Needs.Name(), baseline, values);
    }

    /// <summary>The least-squares slope of <paramref name="y"/> on <paramref name="x"/>, tested as <paramref name="expect"/>
    /// says (the threshold is in y-units per x-unit; a scale factor is not applied to a slope).</summary>
    public ClaimRecord Slope(string id, string paper, string claim, IReadOnlyList<double> x, IReadOnlyList<double> y,
        string statistic, Expect expect, (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null)
    {
        ArgumentNullException.ThrowIfNull(expect);
        if (expect.ScaleBy != 1)
            throw new ArgumentException($"a slope is not rescaled; the expectation {expect} multiplies by {expect.ScaleBy}.", nameof(expect));
        return Slope(id, paper, claim, x, y, statistic, expect.Threshold, expect.Direction, expect.Needs.Name(), baseline, values);
    }

    /// <summary>A one-sample effect: the mean (or, with the sign test, the median) of per-seed <paramref name="sample"/>
    /// with its interval, against <paramref name="threshold"/>.</summary>
    internal ClaimRecord OneSample(string id, string paper, string claim, IReadOnlyList<double> sample, string statistic,
        double threshold, string direction = ">", string unit = "", IntervalMethod method = IntervalMethod.StudentT,
        string needs = "default", (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null,
        string? expected = null, string? observed = null, int seed = 0)
    {
        CheckDirection(direction);
        CheckThreshold(threshold);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count == 0) throw new ArgumentException("sample must hold at least one value.", nameof(sample));
        for (int i = 0; i < sample.Count; i++)
            if (!double.IsFinite(sample[i]))
                throw new ArgumentException($"sample[{i}] is {sample[i]}: every value must be finite (measure a diverged run at its last finite checkpoint).", nameof(sample));
        return FromSample(id, paper, claim, [.. sample], statistic, threshold, direction, unit, method, needs, baseline,
            new Dictionary<string, double>(values ?? new Dictionary<string, double>()), expected, observed, seed, paired: false);
    }

    /// <summary>Spearman's rank correlation of <paramref name="x"/> and <paramref name="y"/> with its Fisher-z interval,
    /// against <paramref name="threshold"/> (e.g. ρ &lt; 0 for "falls with").</summary>
    internal ClaimRecord RankCorrelation(string id, string paper, string claim, IReadOnlyList<double> x, IReadOnlyList<double> y,
        string statistic, double threshold = 0, string direction = ">", string needs = "default",
        (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null,
        string? expected = null, string? observed = null)
    {
        return FromPoints(id, paper, claim, x, y, (a, b) => ClaimStatistics.Spearman(a, b), 4, "a rank correlation's",
            (a, b) => a.Distinct().Count() < 2 || b.Distinct().Count() < 2 ? "ρ is undefined: x or y is constant" : null, statistic,
            threshold, direction, needs, baseline, values, expected, observed);
    }

    /// <summary>The least-squares slope of <paramref name="y"/> on <paramref name="x"/> with its t interval, against
    /// <paramref name="threshold"/>.</summary>
    internal ClaimRecord Slope(string id, string paper, string claim, IReadOnlyList<double> x, IReadOnlyList<double> y,
        string statistic, double threshold = 0, string direction = ">", string needs = "default",
        (bool Beaten, string Reason)? baseline = null, IReadOnlyDictionary<string, double>? values = null,
        string? expected = null, string? observed = null)
    {
        return FromPoints(id, paper, claim, x, y, (a, b) => ClaimStatistics.Slope(a, b), 3, "a slope's",
            (a, _) => a.Distinct().Count() < 2 ? "the slope is undefined: x is constant" : null, statistic,
            threshold, direction, needs, baseline, values, expected, observed);
    }

    /// <summary>An agreement claim: <paramref name="value"/> against <paramref name="reference"/> within
    /// <paramref name="tolerance"/> (relative to |reference| when <paramref name="relative"/>).</summary>
    public ClaimRecord Agreement(string id, string paper, string claim, double value, double reference, double tolerance,
        bool relative = true, string needs = "smoke", IReadOnlyDictionary<string, double>? values = null,
        string? expected = null, string? observed = null)
    {
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be ≥ 0.");
        if (relative && reference == 0) throw new ArgumentException("a relative agreement needs a non-zero reference.", nameof(reference));
        if (!double.IsFinite(reference)) throw new ArgumentException($"reference is {reference}: it must be finite.", nameof(reference));
        var test = new AgreementTest(value, reference, tolerance, relative);
        var v = new Dictionary<string, double>(values ?? new Dictionary<string, double>()) { ["value"] = value, ["reference"] = reference };
        expected ??= relative ? $"within {F(100 * tolerance)} % of {F(reference)}" : $"within ±{F(tolerance)} of {F(reference)}";
        observed ??= relative ? $"{F(value)} ({F(100 * test.Error)} % off)" : $"{F(value)} (off by {F(test.Error)})";
        var (verdict, reason) = Gate(needs, null, test.Decide(), double.IsFinite(value) ? null : "the value is not finite");
        return Add(new ClaimRecord(id, paper, claim, expected, observed, v, verdict, Scale)
        {
            Kind = ClaimKind.Agreement, Agreement = test, Reason = reason,
        });
    }

    /// <summary>A claim that is not tested in this run, with the reason (it needs the paper's data or scale, or cannot be
    /// tested fairly within the budget).</summary>
    public ClaimRecord NotRun(string id, string paper, string claim, string expected, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Add(new ClaimRecord(id, paper, claim, expected, "not run", new Dictionary<string, double>(), Verdict.NotRun, Scale)
        {
            Kind = ClaimKind.Effect, Reason = reason,
        });
    }

    /// <summary>Records a claim whose verdict was computed by hand. Kept for notebooks written before claims record
    /// version 2; such records have kind "check" and are not decided at smoke scale.</summary>
    [Obsolete("Use an effect claim (Paired, OneSample, RankCorrelation, Slope) or an Agreement: their verdict follows from the numbers.")]
    public ClaimRecord Check(string id, string paper, string claim, string expected, string observed,
        IReadOnlyDictionary<string, double>? values, bool held, string needs = "smoke")
    {
        var (verdict, reason) = Gate(needs, null, held ? Verdict.Held : Verdict.Failed, null);
        return Add(new ClaimRecord(id, paper, claim, expected, observed,
            new Dictionary<string, double>(values ?? new Dictionary<string, double>()), verdict, Scale) { Reason = reason });
    }

    /// <summary>How many claims have each verdict.</summary>
    public (int Held, int Failed, int Inconclusive, int NotRun) Totals =>
        (records.Count(r => r.Verdict == Verdict.Held), records.Count(r => r.Verdict == Verdict.Failed),
         records.Count(r => r.Verdict == Verdict.Inconclusive), records.Count(r => r.Verdict == Verdict.NotRun));

    /// <summary>A plain-text account of what was found, generated from the records so that it cannot contradict them:
    /// the totals, then each claim grouped by verdict with its estimate, interval, n and threshold, and the reason for
    /// every inconclusive or not-run claim. Notebooks print it under their "Reading the results" section.</summary>
    public string Reading()
    {
        var (held, failed, inconclusive, notRun) = Totals;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"At {Scale} scale: {held} held, {failed} failed, {inconclusive} inconclusive, {notRun} not run.");
        foreach (var (verdict, title) in new[]
                 {
                     (Verdict.Held, "Held"), (Verdict.Failed, "Failed (the interval lies wholly on the other side)"),
                     (Verdict.Inconclusive, "Inconclusive"), (Verdict.NotRun, "Not run"),
                 })
        {
            var group = records.Where(r => r.Verdict == verdict).ToList();
            if (group.Count == 0) continue;
            sb.AppendLine().AppendLine(title + ":");
            foreach (var r in group)
            {
                sb.Append("- ").Append(r.Id).Append(": ").Append(r.Claim);
                if (r.Test is { } t && double.IsFinite(t.Estimate))
                    sb.Append($" — {t.Statistic} {F(t.Estimate)} [{F(t.Lower)}, {F(t.Upper)}], n = {t.N}, claimed {t.Direction} {F(t.Threshold)}");
                else if (r.Agreement is { } a)
                    sb.Append($" — {F(a.Value)} against {F(a.Reference)}, {(a.Relative ? "relative" : "absolute")} error {F(a.Error)} (tolerance {F(a.Tolerance)})");
                else if (r.Verdict != Verdict.NotRun)
                    sb.Append($" — observed {r.Observed}");
                if (r.Reason is not null) sb.Append($" ({r.Reason})");
                sb.AppendLine();
            }
        }
        return sb.ToString().TrimEnd();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(Environment.NewLine, records.Select(r =>
            $"[{r.VerdictText}] {r.Id}: {r.Claim} — expected {r.Expected}; observed {r.Observed}" + (r.Reason is null ? "" : $" ({r.Reason})")));

    ClaimRecord FromSample(string id, string paper, string claim, double[] sample, string statistic, double threshold,
        string direction, string unit, IntervalMethod method, string needs, (bool Beaten, string Reason)? baseline,
        Dictionary<string, double> values, string? expected, string? observed, int seed, bool paired)
    {
        string what = paired ? "paired seeds" : "seeds";
        if (sample.Length < 2)
        {
            values["estimate"] = sample[0];
            // A claim this scale does not run says so first: its one seed is the scale's choice, not the claim's flaw.
            bool belowNeed = RunScales.TryParse(needs, out var need) && RunScales.Parse(Scale) is var here && here != RunScale.Smoke && here < need;
            return TooFew(id, paper, claim, statistic, threshold, direction, values, expected,
                belowNeed ? $"needs the {needs} scale" : $"1 {(paired ? "paired seed" : "seed")}: no interval; a claim needs at least 3 replicates", unit, observed ?? $"{Signed(sample[0])}{unit} from 1 {(paired ? "paired seed" : "seed")}");
        }
        var r = ClaimStatistics.Mean(sample, method, seed: seed);
        if (paired) r = r with { Method = "paired " + r.Method };
        return FromInterval(id, paper, claim, r, statistic, threshold, direction, unit, needs, baseline, values, expected, observed,
            $"{r.N} {what}");
    }

    ClaimRecord FromInterval(string id, string paper, string claim, ClaimStatistics.Interval r, string statistic, double threshold,
        string direction, string unit, string needs, (bool Beaten, string Reason)? baseline, Dictionary<string, double> values,
        string? expected, string? observed, string over)
    {
        var test = new EffectTest(statistic, r.Estimate, r.Lower, r.Upper, r.Level, threshold, direction, r.N, r.Method);
        expected ??= Expectation(statistic, direction, threshold, unit);
        string level = Math.Abs(r.Level - 0.95) < 1e-9 ? "" : $" ({100 * r.Level:0.##} % coverage)";
        string median = r.Method.Contains("median", StringComparison.Ordinal) ? "median " : "";
        observed ??= $"{median}{Signed(r.Estimate)}{unit} [{F(r.Lower)}, {F(r.Upper)}]{level}, {over}";
        var decided = test.Decide();
        string? why = decided == Verdict.Inconclusive ? $"the interval contains the threshold {F(threshold)}" : null;
        var (verdict, reason) = Gate(needs, baseline, decided, why);
        if (r.N < 3 && verdict is not Verdict.NotRun) (verdict, reason) = (Verdict.NotRun, $"{r.N} replicates: a claim needs at least 3");
        return Add(new ClaimRecord(id, paper, claim, expected, observed, values, verdict, Scale)
        {
            Kind = ClaimKind.Effect, Test = test, Reason = reason,
        });
    }

    (Verdict, string?) Gate(string needs, (bool Beaten, string Reason)? baseline, Verdict decided, string? why)
    {
        if (!RunScales.TryParse(needs, out var need)) throw new ArgumentOutOfRangeException(nameof(needs), needs, "needs must be smoke, default or paper.");
        var scale = RunScales.Parse(Scale);
        if (scale == RunScale.Smoke) return (Verdict.NotRun, SmokeReason);
        if (scale < need) return (Verdict.NotRun, $"needs the {needs} scale");
        // The verdict of a decided effect claim is a pure function of its interval, so a claim about a model that did
        // not beat its baseline is not judged at all.
        if (baseline is { Beaten: false } b) return (Verdict.NotRun, "not judged: " + b.Reason);
        return (decided, why);
    }

    ClaimRecord Add(ClaimRecord record)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Id, "id");
        if (records.Any(r => r.Id == record.Id)) throw new ArgumentException($"A claim with id '{record.Id}' was already recorded.", "id");
        records.Add(record);
        return record;
    }

    static double[] Diffs(IReadOnlyList<double> a, IReadOnlyList<double> b, double scaleBy)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"a and b must pair up seed by seed: {a.Count} values against {b.Count}.", nameof(b));
        if (a.Count == 0) throw new ArgumentException("a must hold at least one value.", nameof(a));
        for (int i = 0; i < a.Count; i++)
            if (!double.IsFinite(a[i]) || !double.IsFinite(b[i]))
                throw new ArgumentException($"pair {i} is ({a[i]}, {b[i]}): every value must be finite (measure a diverged run at its last finite checkpoint).", nameof(a));
        return [.. a.Zip(b, (x, y) => (x - y) * scaleBy)];
    }

    ClaimRecord FromPoints(string id, string paper, string claim, IReadOnlyList<double> x, IReadOnlyList<double> y,
        Func<IReadOnlyList<double>, IReadOnlyList<double>, ClaimStatistics.Interval> estimate, int atLeast, string what,
        Func<IReadOnlyList<double>, IReadOnlyList<double>, string?> undefinedWhy,
        string statistic, double threshold, string direction, string needs, (bool Beaten, string Reason)? baseline,
        IReadOnlyDictionary<string, double>? values, string? expected, string? observed)
    {
        CheckDirection(direction);
        CheckThreshold(threshold);
        CheckPoints(x, y);
        string? why = x.Count < atLeast ? $"{x.Count} points: {what} interval needs at least {atLeast}" : undefinedWhy(x, y);
        if (why is not null) return TooFew(id, paper, claim, statistic, threshold, direction, values, expected, why);
        var r = estimate(x, y);
        return FromInterval(id, paper, claim, r, statistic, threshold, direction, "", needs, baseline,
            new Dictionary<string, double>(values ?? new Dictionary<string, double>()), expected, observed, $"{r.N} points");
    }

    ClaimRecord TooFew(string id, string paper, string claim, string statistic, double threshold, string direction,
        IReadOnlyDictionary<string, double>? values, string? expected, string reason, string unit = "", string? observed = null)
    {
        expected ??= Expectation(statistic, direction, threshold, unit);
        return Add(new ClaimRecord(id, paper, claim, expected, observed ?? "too few points", new Dictionary<string, double>(values ?? new Dictionary<string, double>()),
            Verdict.NotRun, Scale) { Kind = ClaimKind.Effect, Reason = Scale == "smoke" ? SmokeReason : reason });
    }

    static void CheckPoints(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x and y must have one value each per point: {x.Count} against {y.Count}.", nameof(y));
        for (int i = 0; i < x.Count; i++)
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"point {i} is ({x[i]}, {y[i]}): every value must be finite.", nameof(x));
    }

    static void CheckThreshold(double threshold)
    {
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be finite.");
    }

    static void CheckDirection(string direction)
    {
        if (direction is not (">" or "<")) throw new ArgumentException($"direction must be \">\" or \"<\"; got \"{direction}\".", nameof(direction));
    }

    static string Expectation(string statistic, string direction, double threshold, string unit) =>
        (direction == ">" ? Expect.Above(threshold) : Expect.Below(threshold)).In(unit).Text(statistic);

    static string F(double v) => Expect.Format(v);

    static string Signed(double v) => (v > 0 ? "+" : "") + F(v);
}
