namespace LossLab.Scaling;

/// <summary>Initial points of a multi-start fit, in fit space (log p for positive parameters), in a fixed order.</summary>
public sealed class StartGrid
{
    readonly double[][] starts;

    StartGrid(double[][] starts, int dimension)
    {
        this.starts = starts;
        Dimension = dimension;
    }

    /// <summary>The Cartesian product of per-parameter values (fit space), the last parameter varying fastest — the
    /// order of Python's <c>itertools.product</c>.</summary>
    /// <exception cref="ArgumentException">No axes, or an axis is empty.</exception>
    public static StartGrid Product(params IReadOnlyList<double>[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0) throw new ArgumentException("axes must hold one list of values per parameter.", nameof(axes));
        for (int j = 0; j < axes.Length; j++)
            if (axes[j].Count == 0) throw new ArgumentException($"axes[{j}] is empty.", nameof(axes));
        long total = axes.Aggregate(1L, (acc, a) => acc * a.Count);
        var starts = new double[total][];
        var index = new int[axes.Length];
        for (long s = 0; s < total; s++)
        {
            var point = new double[axes.Length];
            for (int j = 0; j < axes.Length; j++) point[j] = axes[j][index[j]];
            starts[s] = point;
            for (int j = axes.Length - 1; j >= 0; j--)
            {
                if (++index[j] < axes[j].Count) break;
                index[j] = 0;
            }
        }
        return new StartGrid(starts, axes.Length);
    }

    /// <summary>Explicit starts (fit space), all of the same length.</summary>
    /// <exception cref="ArgumentException">No starts, or lengths differ.</exception>
    public static StartGrid Of(params IReadOnlyList<double>[] starts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Length == 0) throw new ArgumentException("starts must hold at least one point.", nameof(starts));
        int dim = starts[0].Count;
        foreach (var s in starts)
            if (s.Count != dim) throw new ArgumentException($"every start must have {dim} values; got {s.Count}.", nameof(starts));
        return new StartGrid(starts.Select(s => s.ToArray()).ToArray(), dim);
    }

    /// <summary>A single start given in natural parameter values of <paramref name="law"/>.</summary>
    public static StartGrid FromNatural(ScalingLaw law, params double[] natural)
    {
        ArgumentNullException.ThrowIfNull(law);
        return new StartGrid([law.ToFitSpace(natural)], law.ParameterCount);
    }

    /// <summary>The number of values per start.</summary>
    public int Dimension { get; }

    /// <summary>The number of starts.</summary>
    public int Count => starts.Length;

    /// <summary>Start <paramref name="i"/> (fit space).</summary>
    public ReadOnlySpan<double> this[int i] => starts[i];
}
