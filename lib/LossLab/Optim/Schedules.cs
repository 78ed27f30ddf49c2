using TorchSharp;
using static TorchSharp.torch.optim;

namespace LossLab.Optim;

/// <summary>Learning-rate schedules as pure functions of the step t = 0, 1, 2, … → η_t. Each factory checks its arguments
/// and returns a <see cref="Func{T, TResult}"/>; <see cref="Sample"/> turns one into arrays for a plot and
/// <see cref="Apply"/> writes η_t into an optimizer's parameter groups.</summary>
/// <remarks>Linear warm-up is η·(t + 1)/W for t &lt; W, so the first step already moves and step W − 1 reaches η.</remarks>
public static class Schedules
{
    /// <summary>η_t = η.</summary>
    public static Func<long, double> Constant(double learningRate)
    {
        Guard.NonNegative(learningRate, nameof(learningRate));
        return _ => learningRate;
    }

    /// <summary>η_t = η·min(1, (t + 1)/W): linear warm-up to η over W steps, then constant.</summary>
    public static Func<long, double> LinearWarmup(double peak, long warmupSteps)
    {
        Guard.NonNegative(peak, nameof(peak));
        Steps(warmupSteps, nameof(warmupSteps));
        return t => Warm(peak, t, warmupSteps) ?? peak;
    }

    /// <summary>Cosine decay to a floor (Loshchilov &amp; Hutter, 2017, arXiv:1608.03983) after an optional linear warm-up:
    /// for W ≤ t ≤ T, with p = (t − W)/(T − W), η_t = floor + (peak − floor)·(1 + cos πp)/2; η_t = floor for t ≥ T.</summary>
    public static Func<long, double> Cosine(double peak, long totalSteps, double floor = 0, long warmupSteps = 0)
    {
        CheckDecay(peak, floor, totalSteps, warmupSteps);
        return t => Warm(peak, t, warmupSteps) ?? floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * Progress(t, warmupSteps, totalSteps)));
    }

    /// <summary>Linear decay after an optional warm-up: η_t = peak − (peak − floor)·p, p = (t − W)/(T − W) clamped to [0, 1].</summary>
    public static Func<long, double> LinearDecay(double peak, long totalSteps, double floor = 0, long warmupSteps = 0)
    {
        CheckDecay(peak, floor, totalSteps, warmupSteps);
        return t => Warm(peak, t, warmupSteps) ?? peak - (peak - floor) * Progress(t, warmupSteps, totalSteps);
    }

    /// <summary>Step decay: η_t = η·γ^k, k the number of milestones ≤ t.</summary>
    public static Func<long, double> MultiStep(double learningRate, IEnumerable<long> milestones, double gamma = 0.1)
    {
        Guard.NonNegative(learningRate, nameof(learningRate));
        Guard.Positive(gamma, nameof(gamma));
        ArgumentNullException.ThrowIfNull(milestones);
        var sorted = milestones.Order().ToArray();
        if (sorted.Any(m => m < 0)) throw new ArgumentOutOfRangeException(nameof(milestones), "milestones must be non-negative steps.");
        return t => learningRate * Math.Pow(gamma, sorted.Count(m => m <= t));
    }

    /// <summary>Exponential decay: η_t = η·γᵗ.</summary>
    public static Func<long, double> Exponential(double learningRate, double gamma)
    {
        Guard.NonNegative(learningRate, nameof(learningRate));
        Guard.Positive(gamma, nameof(gamma));
        return t => learningRate * Math.Pow(gamma, t);
    }

    /// <summary>Warmup–stable–decay (Hägele et al., 2024, arXiv:2405.18392): linear warm-up over W steps, η = peak until
    /// step T − D, then a decay of D steps with the given <paramref name="tail"/> to <paramref name="floor"/> at step T.
    /// In the decay, p = (t − (T − D))/D.</summary>
    public static Func<long, double> WarmupStableDecay(double peak, long totalSteps, long decaySteps, WsdTail tail = WsdTail.OneMinusSqrt,
        double floor = 0, long warmupSteps = 0)
    {
        CheckDecay(peak, floor, totalSteps, warmupSteps);
        Steps(decaySteps, nameof(decaySteps));
        if (decaySteps == 0 || warmupSteps + decaySteps > totalSteps)
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps,
                $"decaySteps must lie in [1, totalSteps − warmupSteps] = [1, {totalSteps - warmupSteps}].");
        var start = totalSteps - decaySteps;
        return t =>
        {
            if (Warm(peak, t, warmupSteps) is { } w) return w;
            if (t <= start) return peak;
            var p = Math.Min(1.0, (double)(t - start) / decaySteps);
            var shape = tail switch
            {
                WsdTail.Linear => 1 - p,
                WsdTail.Cosine => 0.5 * (1 + Math.Cos(Math.PI * p)),
                WsdTail.OneMinusSqrt => 1 - Math.Sqrt(p),
                _ => throw new ArgumentOutOfRangeException(nameof(tail), tail, "Unknown WSD tail."),
            };
            return floor + (peak - floor) * shape;
        };
    }

    /// <summary>Inverse square root (Vaswani et al., 2017, arXiv:1706.03762): linear warm-up over W ≥ 1 steps, then
    /// η_t = peak·√(W/t) for t ≥ W.</summary>
    public static Func<long, double> InverseSqrt(double peak, long warmupSteps)
    {
        Guard.NonNegative(peak, nameof(peak));
        if (warmupSteps < 1) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmupSteps must be at least 1.");
        return t => Warm(peak, t, warmupSteps) ?? peak * Math.Sqrt((double)warmupSteps / t);
    }

    /// <summary>Exponential ramp (learning-rate range test; Smith, 2017, arXiv:1506.01186):
    /// η_t = start·(end/start)^(t/T), reaching end at t = T and continuing the ramp beyond.</summary>
    public static Func<long, double> ExponentialRamp(double start, double end, long totalSteps)
    {
        Guard.Positive(start, nameof(start));
        Guard.Positive(end, nameof(end));
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be at least 1.");
        return t => start * Math.Pow(end / start, (double)t / totalSteps);
    }

    /// <summary>Samples a schedule for a plot at <paramref name="points"/> evenly spaced integer steps in [0, T − 1].</summary>
    /// <returns>x: the steps, y: η at each.</returns>
    public static (double[] X, double[] Y) Sample(Func<long, double> schedule, long totalSteps, int points = 200)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be at least 1.");
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points), points, "points must be at least 1.");
        var steps = points >= totalSteps
            ? Enumerable.Range(0, (int)totalSteps).Select(i => (long)i).ToArray()
            : Enumerable.Range(0, points).Select(i => points == 1 ? 0 : (long)Math.Round(i * (totalSteps - 1) / (double)(points - 1))).Distinct().ToArray();
        return (steps.Select(s => (double)s).ToArray(), steps.Select(s => schedule(s)).ToArray());
    }

    /// <summary>Sets every parameter group's learning rate of <paramref name="optimizer"/> to η_t.</summary>
    /// <returns>η_t.</returns>
    public static double Apply(Func<long, double> schedule, Optimizer optimizer, long step)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        var lr = schedule(step);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
        return lr;
    }

    static double? Warm(double peak, long t, long warmupSteps) => t < warmupSteps ? peak * (t + 1) / warmupSteps : null;

    static double Progress(long t, long warmupSteps, long totalSteps) =>
        Math.Clamp((double)(t - warmupSteps) / (totalSteps - warmupSteps), 0, 1);

    static void Steps(long steps, string name)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(name, steps, $"{name} must be non-negative.");
    }

    static void CheckDecay(double peak, double floor, long totalSteps, long warmupSteps)
    {
        Guard.NonNegative(peak, nameof(peak));
        Guard.NonNegative(floor, nameof(floor));
        if (floor > peak) throw new ArgumentOutOfRangeException(nameof(floor), floor, $"floor must not exceed peak ({peak}).");
        Steps(warmupSteps, nameof(warmupSteps));
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"totalSteps must exceed warmupSteps ({warmupSteps}).");
    }
}
