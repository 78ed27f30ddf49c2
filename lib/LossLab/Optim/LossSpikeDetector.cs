namespace LossLab.Optim;

/// <summary>Loss-spike detector: a step is a spike when its loss exceeds k times the median of the previous
/// <see cref="Window"/> losses, or is not finite. Used to count spikes when comparing clipping rules (AdaGC against global
/// clipping); defaults k = 1.5 and a window of 20 steps.</summary>
/// <param name="window">Number of previous losses whose median is the reference (≥ 1).</param>
/// <param name="factor">k &gt; 1.</param>
public sealed class LossSpikeDetector(int window = 20, double factor = 1.5)
{
    readonly Queue<double> recent = new();

    /// <summary>Length of the reference window.</summary>
    public int Window { get; } = window >= 1 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "window must be at least 1.");
    /// <summary>k, the ratio to the median that counts as a spike.</summary>
    public double Factor { get; } = factor > 1 && double.IsFinite(factor) ? factor
        : throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be a finite number above 1.");
    /// <summary>Number of spikes so far.</summary>
    public int Spikes { get; private set; }
    /// <summary>Number of losses observed.</summary>
    public long Steps { get; private set; }

    /// <summary>The median of the current window (NaN when empty).</summary>
    public double Median
    {
        get
        {
            if (recent.Count == 0) return double.NaN;
            var sorted = recent.Order().ToArray();
            var n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        }
    }

    /// <summary>Records a loss. A spike needs a full window before it, except a non-finite loss, which always is one.</summary>
    /// <returns>Whether this loss is a spike.</returns>
    public bool Observe(double loss)
    {
        Steps++;
        var spike = !double.IsFinite(loss) || (recent.Count == Window && loss > Factor * Median);
        if (spike) Spikes++;
        if (double.IsFinite(loss))
        {
            recent.Enqueue(loss);
            if (recent.Count > Window) recent.Dequeue();
        }
        return spike;
    }
}
