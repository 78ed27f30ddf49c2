namespace LossLab.Scaling;

/// <summary>Observed points (inputs xᵢ, loss Lᵢ &gt; 0) to fit a law to. Immutable.</summary>
public sealed class LawPoints
{
    readonly double[][] inputs;
    readonly double[] losses;

    /// <summary>Points from one input row per point and the observed losses.</summary>
    /// <exception cref="ArgumentException">Counts differ, rows differ in length, or a loss is not positive and finite.</exception>
    public LawPoints(IReadOnlyList<IReadOnlyList<double>> inputs, IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(losses);
        if (inputs.Count != losses.Count)
            throw new ArgumentException($"losses must have one value per input row: {inputs.Count} rows, {losses.Count} losses.", nameof(losses));
        int width = inputs.Count == 0 ? 0 : inputs[0].Count;
        this.inputs = new double[inputs.Count][];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Count != width)
                throw new ArgumentException($"every input row must have {width} values; row {i} has {inputs[i].Count}.", nameof(inputs));
            this.inputs[i] = [.. inputs[i]];
        }
        this.losses = new double[losses.Count];
        for (int i = 0; i < losses.Count; i++)
        {
            if (!(losses[i] > 0) || !double.IsFinite(losses[i]))
                throw new ArgumentOutOfRangeException(nameof(losses), losses[i], $"losses[{i}] must be positive and finite (the fit is in log-loss space).");
            this.losses[i] = losses[i];
        }
        InputCount = width;
    }

    /// <summary>Points from input columns (each of length n) and n losses.</summary>
    public static LawPoints FromColumns(IReadOnlyList<double> losses, params IReadOnlyList<double>[] columns)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var c in columns)
            if (c.Count != losses.Count)
                throw new ArgumentException($"every column must have {losses.Count} values (one per loss); got {c.Count}.", nameof(columns));
        var rows = new double[losses.Count][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[columns.Length];
            for (int j = 0; j < columns.Length; j++) rows[i][j] = columns[j][i];
        }
        return new LawPoints(rows, losses);
    }

    /// <summary>The number of points.</summary>
    public int Count => losses.Length;

    /// <summary>The number of inputs per point.</summary>
    public int InputCount { get; }

    /// <summary>The inputs of point <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Input(int i) => inputs[i];

    /// <summary>The observed loss of point <paramref name="i"/>.</summary>
    public double Loss(int i) => losses[i];

    /// <summary>The observed losses.</summary>
    public IReadOnlyList<double> Losses => losses;

    /// <summary>The points at <paramref name="indices"/> (repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public LawPoints Subset(IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var idx = indices.ToArray();
        foreach (var i in idx)
            if (i < 0 || i >= Count) throw new ArgumentOutOfRangeException(nameof(indices), i, $"indices must lie in [0, {Count}).");
        return new LawPoints(idx.Select(i => (IReadOnlyList<double>)inputs[i]).ToArray(), idx.Select(i => losses[i]).ToArray());
    }

    /// <summary>The random stream of <see cref="Training.Seeds.Random"/> that <see cref="Split"/> draws from.</summary>
    public const int SplitStream = 0;

    /// <summary>A random split (seeded: stream <see cref="SplitStream"/> of <paramref name="seed"/>) into a training part
    /// and a test part holding <paramref name="testFraction"/> of the points, rounded, at least one; both keep the points'
    /// order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside (0, 1).</exception>
    /// <exception cref="ArgumentException">Too few points to hold some out and keep some for training.</exception>
    public (LawPoints Train, LawPoints Test) Split(double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must lie in (0, 1).");
        var order = Enumerable.Range(0, Count).ToArray();
        Training.Seeds.Random(seed, SplitStream).Shuffle(order);
        int testCount = Math.Max(1, (int)Math.Round(testFraction * Count));
        if (testCount >= Count) throw new ArgumentException($"points has {Count} point(s): too few to hold some out.", "points");
        return (Subset(order.Skip(testCount).Order()), Subset(order.Take(testCount).Order()));
    }
}
