using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>
/// Minority collapse (Fang, He, Long, Su, PNAS 2021, arXiv:2101.12699): under strong imbalance the classifier rows of the
/// minority classes become parallel, their pairwise cosines rising from −1/(C − 1) (a simplex ETF) towards 1.
/// Measured as the mean pairwise cosine, and the mean pairwise angle in degrees, of the rows of the given classes.
/// </summary>
public static class MinorityCollapse
{
    /// <summary>Mean of cos(w_a, w_b) over the pairs a &lt; b of <paramref name="classes"/>.</summary>
    /// <param name="classifierWeight">W, (C, D).</param>
    /// <param name="classes">At least two distinct class indices (e.g. the minority classes).</param>
    /// <param name="centred">Subtract the mean row (over all C classes) first.</param>
    public static double MeanCosine(Tensor classifierWeight, IReadOnlyList<int> classes, bool centred = false) =>
        PairCosines(classifierWeight, classes, centred).Average();

    /// <summary>Mean of the pairwise angles arccos(cos(w_a, w_b)), in degrees.</summary>
    public static double MeanAngleDegrees(Tensor classifierWeight, IReadOnlyList<int> classes, bool centred = false) =>
        PairCosines(classifierWeight, classes, centred).Average(cos => Math.Acos(Math.Clamp(cos, -1, 1)) * 180 / Math.PI);

    /// <summary>The classes with fewer than <paramref name="threshold"/> training samples.</summary>
    public static int[] ClassesBelow(IReadOnlyList<long> classCounts, long threshold)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        return Enumerable.Range(0, classCounts.Count).Where(c => classCounts[c] < threshold).ToArray();
    }

    static double[] PairCosines(Tensor classifierWeight, IReadOnlyList<int> classes, bool centred)
    {
        Guard.Rank(classifierWeight, 2, nameof(classifierWeight));
        Guard.Floating(classifierWeight, nameof(classifierWeight));
        ArgumentNullException.ThrowIfNull(classes);
        long c = classifierWeight.shape[0];
        if (classes.Distinct().Count() != classes.Count || classes.Count < 2)
            throw new ArgumentException($"classes must hold at least two distinct indices; got [{string.Join(", ", classes)}].", nameof(classes));
        foreach (var k in classes)
            if (k < 0 || k >= c) throw new ArgumentOutOfRangeException(nameof(classes), $"classes must lie in [0, {c}); got {k}.");
        using var scope = torch.NewDisposeScope();
        var w = classifierWeight.detach().to(ScalarType.Float64).cpu();
        if (centred) w = w - w.mean(new long[] { 0 });
        var rows = w.index_select(0, torch.tensor(classes.Select(k => (long)k).ToArray()));
        var unit = rows / rows.norm(1, keepdim: true).clamp_min(1e-300);
        var cos = unit.matmul(unit.t()).data<double>().ToArray();
        int m = classes.Count;
        var result = new List<double>();
        for (int a = 0; a < m; a++)
            for (int b = a + 1; b < m; b++) result.Add(cos[a * m + b]);
        return result.ToArray();
    }
}
