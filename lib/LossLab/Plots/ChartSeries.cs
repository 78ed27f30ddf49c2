namespace LossLab.Plots;

/// <summary>A named series of (x, y) points for line and scatter charts.</summary>
public sealed record ChartSeries
{
    /// <summary>A series; <paramref name="x"/> and <paramref name="y"/> must have the same length.</summary>
    public ChartSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"y must have one value per x: series '{name}' has {x.Count} x values and {y.Count} y values.", nameof(y));
        Name = name;
        X = x;
        Y = y;
    }

    /// <summary>The legend entry.</summary>
    public string Name { get; }

    /// <summary>The x coordinates.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y coordinates.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>A series from y values at x = 0, 1, 2, … (for example a loss per step).</summary>
    public static ChartSeries FromValues(string name, IReadOnlyList<double> y) =>
        new(name, Enumerable.Range(0, y.Count).Select(i => (double)i).ToArray(), y);

    /// <summary>
    /// The curve y = f(x) sampled at <paramref name="points"/> values of x from <paramref name="from"/> to
    /// <paramref name="to"/>, evenly spaced or, with <paramref name="logSpaced"/>, evenly spaced in log x (both ends &gt; 0):
    /// an analytic overlay for <see cref="ScatterChart"/> or <see cref="LineChart"/>.
    /// </summary>
    public static ChartSeries FromFunction(string name, Func<double, double> f, double from, double to, int points = 200, bool logSpaced = false)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "points must be at least 2.");
        if (!double.IsFinite(from) || !double.IsFinite(to) || !(to > from))
            throw new ArgumentOutOfRangeException(nameof(to), $"the range must be finite with to > from; got [{from}, {to}].");
        if (logSpaced && from <= 0)
            throw new ArgumentOutOfRangeException(nameof(from), from, "a log-spaced range must start above 0.");
        var x = new double[points];
        for (int i = 0; i < points; i++)
        {
            double t = (double)i / (points - 1);
            x[i] = logSpaced ? Math.Exp(Math.Log(from) + t * (Math.Log(to) - Math.Log(from))) : from + t * (to - from);
        }
        x[^1] = to;
        return new ChartSeries(name, x, x.Select(f).ToArray());
    }
}
