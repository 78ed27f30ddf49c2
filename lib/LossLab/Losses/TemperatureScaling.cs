using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Temperature scaling, a post-hoc calibrator (Guo, Pleiss, Sun, Weinberger, ICML 2017, arXiv:1706.04599): divide the
/// logits by one temperature T &gt; 0 fitted by minimising the negative log-likelihood on held-out data,
/// T* = argmin_T (1/N)·Σ_i [log Σ_k e^{z_ik/T} − z_{i,y_i}/T]. Accuracy is unchanged.
/// </summary>
/// <remarks>The NLL is convex in u = 1/T (a log-sum-exp of functions linear in u minus a linear term), so the fit solves
/// dNLL/du = mean_i (E_{softmax(u·z_i)}[z_i] − z_{i,y_i}) = 0 by safeguarded Newton steps in float64 (the second
/// derivative is the mean softmax variance of the logits), within [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>].</remarks>
public sealed record TemperatureScaling
{
    /// <summary>The smallest temperature the fit returns.</summary>
    public const double MinTemperature = 1e-2;

    /// <summary>The largest temperature the fit returns.</summary>
    public const double MaxTemperature = 1e2;

    /// <summary>T.</summary>
    public required double Temperature { get; init; }

    /// <summary>NLL of the held-out data at T = 1.</summary>
    public required double NllBefore { get; init; }

    /// <summary>NLL of the held-out data at the fitted T.</summary>
    public required double NllAfter { get; init; }

    /// <summary>Newton/bisection iterations used.</summary>
    public required int Iterations { get; init; }

    /// <summary>Whether T hit <see cref="MinTemperature"/> or <see cref="MaxTemperature"/>.</summary>
    public required bool AtBound { get; init; }

    /// <summary>The calibrated logits z/T.</summary>
    public Tensor Apply(Tensor logits)
    {
        Guard.Floating(logits, nameof(logits));
        return logits / Temperature;
    }

    /// <summary>Fits T on held-out logits (N, C) and labels (N).</summary>
    public static TemperatureScaling Fit(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        if (logits.shape[0] == 0) throw new ArgumentException("logits must hold at least one sample; got shape " + Guard.Shape(logits) + ".", nameof(logits));
        int n = (int)logits.shape[0], c = (int)logits.shape[1];
        using var z64 = logits.detach().to(ScalarType.Float64).cpu().contiguous();
        using var y64 = labels.detach().to(ScalarType.Int64).cpu().contiguous();
        var z = z64.data<double>().ToArray();
        var y = y64.data<long>().ToArray();
        if (z.Any(v => !double.IsFinite(v))) throw new ArgumentException("logits must be finite.", nameof(logits));
        return Fit(z, y, n, c);
    }

    /// <summary>Fits T on row-major float64 logits (n·c values) and labels.</summary>
    internal static TemperatureScaling Fit(double[] z, long[] y, int n, int c)
    {
        double lo = 1 / MaxTemperature, hi = 1 / MinTemperature;
        int iterations = 0;
        double u;
        var (gLo, _) = Derivatives(z, y, n, c, lo);
        var (gHi, _) = Derivatives(z, y, n, c, hi);
        bool atBound = false;
        if (gLo >= 0) { u = lo; atBound = true; }
        else if (gHi <= 0) { u = hi; atBound = true; }
        else
        {
            u = Math.Clamp(1.0, lo, hi);
            for (; iterations < 200; iterations++)
            {
                var (g, h) = Derivatives(z, y, n, c, u);
                if (g > 0) hi = u; else lo = u;
                if (Math.Abs(g) < 1e-13 || hi - lo < 1e-14 * hi) break;
                double next = h > 0 ? u - g / h : double.NaN;
                u = next > lo && next < hi ? next : 0.5 * (lo + hi);
            }
        }
        return new TemperatureScaling
        {
            Temperature = 1 / u, NllBefore = Nll(z, y, n, c, 1.0), NllAfter = Nll(z, y, n, c, u),
            Iterations = iterations, AtBound = atBound,
        };
    }

    /// <summary>Mean NLL of softmax(u·z).</summary>
    internal static double Nll(double[] z, long[] y, int n, int c, double u)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < c; k++) max = Math.Max(max, u * z[i * c + k]);
            double s = 0;
            for (int k = 0; k < c; k++) s += Math.Exp(u * z[i * c + k] - max);
            total += max + Math.Log(s) - u * z[i * c + y[i]];
        }
        return total / n;
    }

    /// <summary>First and second derivative of the mean NLL with respect to u.</summary>
    static (double G, double H) Derivatives(double[] z, long[] y, int n, int c, double u)
    {
        double g = 0, h = 0;
        var e = new double[c];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < c; k++) max = Math.Max(max, u * z[i * c + k]);
            double s = 0;
            for (int k = 0; k < c; k++) { e[k] = Math.Exp(u * z[i * c + k] - max); s += e[k]; }
            double mean = 0, second = 0;
            for (int k = 0; k < c; k++) { double p = e[k] / s, v = z[i * c + k]; mean += p * v; second += p * v * v; }
            g += mean - z[i * c + y[i]];
            h += Math.Max(0, second - mean * mean);
        }
        return (g / n, h / n);
    }
}
