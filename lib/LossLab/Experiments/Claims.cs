namespace LossLab.Experiments;

/// <summary>The verdict of a falsifiable claim.</summary>
public enum Verdict
{
    /// <summary>The observed values meet the expectation.</summary>
    Held,
    /// <summary>The observed values contradict the expectation.</summary>
    Failed,
    /// <summary>The claim needs a larger scale than the run's, so it was not judged.</summary>
    NotRun,
}

/// <summary>One checked claim, as recorded in a notebook's claims output (<c>metadata.losslab.claims</c>).</summary>
public sealed record ClaimRecord(
    string Id, string Paper, string Claim, string Expected, string Observed,
    IReadOnlyDictionary<string, double> Values, Verdict Verdict, string Scale)
{
    /// <summary>The verdict as the claims record spells it: held, failed or not-run.</summary>
    public string VerdictText => Verdict switch { Verdict.Held => "held", Verdict.Failed => "failed", _ => "not-run" };
}

/// <summary>
/// The claims of a notebook, each checked against results computed earlier in the notebook. A claim that needs a larger
/// scale than the run's is recorded as not run rather than failed. Displayed, a notebook engine shows the table and
/// writes the records into the output's metadata.
/// </summary>
public sealed class Claims
{
    static readonly string[] ScaleOrder = ["smoke", "default", "paper"];
    readonly List<ClaimRecord> records = [];

    /// <summary>Starts an empty list of claims for a run at <paramref name="scale"/> (smoke, default or paper).</summary>
    public Claims(string scale)
    {
        if (Array.IndexOf(ScaleOrder, scale) < 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be smoke, default or paper.");
        Scale = scale;
    }

    /// <summary>The scale of the run.</summary>
    public string Scale { get; }

    /// <summary>The claims checked so far, in order.</summary>
    public IReadOnlyList<ClaimRecord> Records => records;

    /// <summary>Records a claim. <paramref name="held"/> is the comparison itself, computed from results; when the run's
    /// scale is below <paramref name="needs"/>, the claim is recorded as not run whatever <paramref name="held"/> says.</summary>
    public ClaimRecord Check(string id, string paper, string claim, string expected, string observed,
        IReadOnlyDictionary<string, double>? values, bool held, string needs = "smoke")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (records.Any(r => r.Id == id)) throw new ArgumentException($"A claim with id '{id}' was already checked.", nameof(id));
        int need = Array.IndexOf(ScaleOrder, needs);
        if (need < 0) throw new ArgumentOutOfRangeException(nameof(needs), needs, "needs must be smoke, default or paper.");
        var verdict = Array.IndexOf(ScaleOrder, Scale) < need ? Verdict.NotRun : held ? Verdict.Held : Verdict.Failed;
        var record = new ClaimRecord(id, paper, claim, expected, observed,
            new Dictionary<string, double>(values ?? new Dictionary<string, double>()), verdict, Scale);
        records.Add(record);
        return record;
    }

    /// <summary>How many claims have each verdict.</summary>
    public (int Held, int Failed, int NotRun) Totals =>
        (records.Count(r => r.Verdict == Verdict.Held), records.Count(r => r.Verdict == Verdict.Failed),
         records.Count(r => r.Verdict == Verdict.NotRun));

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(Environment.NewLine, records.Select(r => $"[{r.VerdictText}] {r.Id}: {r.Claim} — expected {r.Expected}; observed {r.Observed}"));
}
