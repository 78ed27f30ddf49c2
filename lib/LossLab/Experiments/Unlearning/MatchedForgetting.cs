namespace LossLab.Experiments.Unlearning;

/// <summary>
/// Compares two unlearning methods at matched forget accuracy, the same way for both sides: the level is the deepest
/// forgetting both reach, FA* = max(min FA(A), min FA(B)), and each side is read at or below FA*. Two readings: the best
/// retain accuracy among a set of points (a front of merges or interpolations, where any point may be chosen) and the
/// first checkpoint of a trajectory (a run that is stopped as soon as it forgets enough).
/// </summary>
public static class MatchedForgetting
{
    /// <summary>FA* = max(min FA(<paramref name="a"/>), min FA(<paramref name="b"/>)): the deepest forgetting both sides reach.</summary>
    /// <exception cref="ArgumentException">A side is empty or holds a non-finite forget accuracy.</exception>
    public static double Level(IReadOnlyList<TrajectoryPoint> a, IReadOnlyList<TrajectoryPoint> b) =>
        Math.Max(Check(a, nameof(a)).Min(p => p.ForgetAccuracy), Check(b, nameof(b)).Min(p => p.ForgetAccuracy));

    /// <summary>The best retain accuracy among <paramref name="points"/> with FA ≤ <paramref name="level"/>, or null when
    /// no point forgets that far.</summary>
    public static double? BestAt(IReadOnlyList<TrajectoryPoint> points, double level)
    {
        Check(points, nameof(points));
        var within = points.Where(p => p.ForgetAccuracy <= level).ToArray();
        return within.Length == 0 ? null : within.Max(p => p.RetainAccuracy);
    }

    /// <summary>The first checkpoint of <paramref name="trajectory"/> (in step order) with FA ≤ <paramref name="level"/>, or
    /// null when the run never forgets that far.</summary>
    public static TrajectoryPoint? FirstAt(IReadOnlyList<TrajectoryPoint> trajectory, double level)
    {
        Check(trajectory, nameof(trajectory));
        foreach (var p in trajectory.OrderBy(p => p.Step))
            if (p.ForgetAccuracy <= level) return p;
        return null;
    }

    /// <summary>Both fronts read at their common level: (FA*, best RA of A, best RA of B). Both values exist by the
    /// choice of FA*.</summary>
    public static (double Level, double BestA, double BestB) Fronts(IReadOnlyList<TrajectoryPoint> a, IReadOnlyList<TrajectoryPoint> b)
    {
        double level = Level(a, b);
        return (level, BestAt(a, level)!.Value, BestAt(b, level)!.Value);
    }

    /// <summary>Both trajectories read at their common level: (FA*, A's first checkpoint, B's first checkpoint).</summary>
    public static (double Level, TrajectoryPoint A, TrajectoryPoint B) Trajectories(IReadOnlyList<TrajectoryPoint> a, IReadOnlyList<TrajectoryPoint> b)
    {
        double level = Level(a, b);
        return (level, FirstAt(a, level)!.Value, FirstAt(b, level)!.Value);
    }

    static IReadOnlyList<TrajectoryPoint> Check(IReadOnlyList<TrajectoryPoint> points, string name)
    {
        ArgumentNullException.ThrowIfNull(points, name);
        if (points.Count == 0) throw new ArgumentException("at least one point is needed to match forget accuracy.", name);
        foreach (var p in points)
            if (!double.IsFinite(p.ForgetAccuracy) || !double.IsFinite(p.RetainAccuracy))
                throw new ArgumentException($"step {p.Step} has FA {p.ForgetAccuracy}, RA {p.RetainAccuracy}: every point must be finite (audit a diverged run at its last finite checkpoint).", name);
        return points;
    }
}
