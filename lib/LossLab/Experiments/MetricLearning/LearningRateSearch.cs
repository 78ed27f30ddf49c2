namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// Chooses each method's learning rate on a validation split, before the methods are compared on the test split (the
/// protocol of Musgrave et al., "A Metric Learning Reality Check", arXiv:2003.08505: hyper-parameters are set on data
/// the comparison never scores). <see cref="Arms"/> expands every method into one arm per rate of the grid, named
/// <see cref="ArmName"/>; a bench whose training and test splits are the validation split runs them; <c>Best</c>
/// reads each method's rate with the highest mean score over the search's seeds (ties: the smaller rate).
/// </summary>
public static class LearningRateSearch
{
    /// <summary>The arm of <paramref name="method"/> at <paramref name="rate"/>: "method @ rate".</summary>
    public static string ArmName(string method, double rate) => $"{method} @ {rate:G4}";

    /// <summary>Every method at every rate of the grid, method by method, rates in the grid's order.</summary>
    /// <exception cref="ArgumentException">An empty method list or grid, a repeated rate, or a rate that is not positive
    /// and finite.</exception>
    public static IReadOnlyList<EmbeddingMethod> Arms(IReadOnlyList<EmbeddingMethod> methods, IReadOnlyList<double> rates)
    {
        Check(methods, rates);
        return methods.SelectMany(m => rates.Select(r => m.Named(ArmName(m.Name, r)) with { LearningRate = r })).ToArray();
    }

    /// <summary>Each method's rate with the highest mean of <paramref name="score"/> over the seeds of
    /// <paramref name="search"/> (the runs of <see cref="Arms"/>); ties go to the smaller rate. A non-finite mean (a
    /// diverged arm) never wins unless every arm of the method is non-finite, when the smallest rate is returned.</summary>
    public static IReadOnlyDictionary<string, double> Best(MethodComparison<EmbeddingRun> search, IReadOnlyList<EmbeddingMethod> methods,
        IReadOnlyList<double> rates, Func<EmbeddingRun, double> score)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(score);
        Check(methods, rates);
        return methods.ToDictionary(m => m.Name, m => Best(rates, rates.Select(r => search.Mean(ArmName(m.Name, r), score)).ToArray()));
    }

    /// <summary>The rate whose mean score is highest (ties: the smaller rate; non-finite means lose; all non-finite: the
    /// smallest rate).</summary>
    public static double Best(IReadOnlyList<double> rates, IReadOnlyList<double> meanScores)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(meanScores);
        if (rates.Count == 0 || rates.Count != meanScores.Count)
            throw new ArgumentException($"need one mean score per rate (rates {rates.Count}, scores {meanScores.Count}).", nameof(meanScores));
        int best = -1;
        for (int i = 0; i < rates.Count; i++)
        {
            if (!double.IsFinite(meanScores[i])) continue;
            if (best < 0 || meanScores[i] > meanScores[best] || (meanScores[i] == meanScores[best] && rates[i] < rates[best])) best = i;
        }
        return best >= 0 ? rates[best] : rates.Min();
    }

    static void Check(IReadOnlyList<EmbeddingMethod> methods, IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(rates);
        if (methods.Count == 0) throw new ArgumentException("at least one method is needed.", nameof(methods));
        if (rates.Count == 0) throw new ArgumentException("the grid needs at least one learning rate.", nameof(rates));
        if (rates.Any(r => !(r > 0) || !double.IsFinite(r))) throw new ArgumentException("every learning rate must be positive and finite.", nameof(rates));
        if (rates.Distinct().Count() != rates.Count) throw new ArgumentException("the grid repeats a learning rate.", nameof(rates));
    }
}
