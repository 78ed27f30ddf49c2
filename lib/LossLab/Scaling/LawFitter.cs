namespace LossLab.Scaling;

/// <summary>
/// Robust multi-start fitting of a <see cref="ScalingLaw"/>, following Hoffmann et al. (2022, arXiv:2203.15556,
/// Approach 3) and Besiroglu et al. (2024, arXiv:2404.10102): minimise Σᵢ ρ(log L̂(xᵢ) − log Lᵢ) (Huber ρ by default)
/// in fit space with L-BFGS and exact gradients from every point of a grid of initialisations, the starts in parallel,
/// and keep the best. Also bootstrap intervals (resampling points) and held-out prediction error.
/// </summary>
public sealed class LawFitter
{
    /// <summary>A fitter for <paramref name="law"/>.</summary>
    public LawFitter(ScalingLaw law, LawFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        Law = law;
        Options = options ?? new LawFitOptions();
        Options.Lbfgs?.Validated();
        if (Options.MaxDegreeOfParallelism == 0 || Options.MaxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be −1 or positive.");
    }

    /// <summary>The law.</summary>
    public ScalingLaw Law { get; }

    /// <summary>The settings.</summary>
    public LawFitOptions Options { get; }

    /// <summary>The objective this fitter minimises on <paramref name="points"/> (optionally weighted).</summary>
    public LawObjective Objective(LawPoints points, IReadOnlyList<double>? weights = null) =>
        new(Law, points, Options.Loss, Options.Mean, weights);

    /// <summary>Fits <paramref name="points"/> from every start of <paramref name="starts"/>.</summary>
    /// <exception cref="ArgumentException">The grid's dimension differs from the law's parameter count, there are no
    /// points, or no start reached a finite objective.</exception>
    public LawFit Fit(LawPoints points, StartGrid starts, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("points is empty.", nameof(points));
        return Fit(Objective(points), starts, progress);
    }

    /// <summary>Minimises <paramref name="objective"/> from every start (in parallel) and keeps the best.</summary>
    public LawFit Fit(LawObjective objective, StartGrid starts, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(starts);
        if (objective.Law != Law) throw new ArgumentException($"objective is of {objective.Law.Name}, not {Law.Name}.", nameof(objective));
        if (starts.Dimension != Law.ParameterCount)
            throw new ArgumentException($"starts have {starts.Dimension} values; {Law.Name} has {Law.ParameterCount} parameters.", nameof(starts));
        var results = new StartResult[starts.Count];
        int done = 0;
        Parallel.For(0, starts.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism },
            () => new LbfgsMinimizer(Law.ParameterCount, Options.Lbfgs),
            (i, _, minimizer) =>
            {
                results[i] = RunStart(minimizer, objective, i, starts[i]);
                if (progress is not null) progress.Report(Interlocked.Increment(ref done));
                return minimizer;
            },
            _ => { });
        return new LawFit(Law, results, PickBest(results), objective.Count);
    }

    StartResult RunStart(LbfgsMinimizer minimizer, LawObjective objective, int index, ReadOnlySpan<double> start)
    {
        var point = new double[start.Length];
        var outcome = minimizer.Minimize(objective, start, point);
        return new StartResult(index, start.ToArray(), point, Law.FromFitSpace(point), outcome.Value, outcome.GradientNorm,
            outcome.Iterations, outcome.Evaluations, outcome.Exit);
    }

    static int PickBest(StartResult[] results)
    {
        int best = -1;
        for (int pass = 0; pass < 2 && best < 0; pass++)
            for (int i = 0; i < results.Length; i++)
            {
                var r = results[i];
                if (!double.IsFinite(r.Objective) || (pass == 0 && !r.Converged)) continue;
                if (best < 0 || r.Objective < results[best].Objective) best = i;
            }
        if (best < 0) throw new ArgumentException("No start reached a finite objective: check the starts and the law's domain.", "starts");
        return best;
    }

    /// <summary>
    /// Bootstrap intervals: <paramref name="resamples"/> times, draw n points with replacement (seeded: resample b draws
    /// from stream b of <paramref name="seed"/>, <see cref="Training.Seeds.Random"/>, so results do not depend on thread
    /// scheduling), refit from
    /// the full fit's best point (and from <paramref name="extraStarts"/> when given), and report percentile intervals at
    /// level <paramref name="confidence"/> and standard deviations of each natural parameter.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resamples"/> &lt; 2 or <paramref name="confidence"/> outside (0, 1).</exception>
    public BootstrapResult Bootstrap(LawPoints points, LawFit fit, int resamples, int seed, double confidence = 0.95, StartGrid? extraStarts = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Law != Law) throw new ArgumentException($"fit is of {fit.Law.Name}, not {Law.Name}.", nameof(fit));
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "resamples must be at least 2.");
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie in (0, 1).");
        if (extraStarts is not null && extraStarts.Dimension != Law.ParameterCount)
            throw new ArgumentException($"extraStarts have {extraStarts.Dimension} values; {Law.Name} has {Law.ParameterCount} parameters.", nameof(extraStarts));
        int n = points.Count, p = Law.ParameterCount;
        var samples = new double[resamples][];
        var objectives = new double[resamples];
        var best = fit.FitSpace.ToArray();
        Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism },
            () => (Minimizer: new LbfgsMinimizer(p, Options.Lbfgs), Point: new double[p], Weights: new double[n]),
            (b, _, ws) =>
            {
                var rng = Training.Seeds.Random(seed, b);
                Array.Clear(ws.Weights);
                for (int i = 0; i < n; i++) ws.Weights[rng.Next(n)] += 1;
                var objective = Objective(points, ws.Weights);
                var outcome = ws.Minimizer.Minimize(objective, best, ws.Point);
                double value = outcome.Value;
                var chosen = (double[])ws.Point.Clone();
                if (extraStarts is not null)
                    for (int s = 0; s < extraStarts.Count; s++)
                    {
                        var o = ws.Minimizer.Minimize(objective, extraStarts[s], ws.Point);
                        if (double.IsFinite(o.Value) && !(o.Value >= value)) { value = o.Value; chosen = (double[])ws.Point.Clone(); }
                    }
                samples[b] = Law.FromFitSpace(chosen);
                objectives[b] = value;
                return ws;
            },
            _ => { });
        return new BootstrapResult(Law, fit.Parameters.ToArray(), samples, objectives, confidence);
    }

    /// <summary>Fits on <paramref name="train"/> and measures prediction error on <paramref name="test"/>.</summary>
    public HeldOutError HeldOut(LawPoints train, LawPoints test, StartGrid starts)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.Count == 0) throw new ArgumentException("test is empty.", nameof(test));
        var fit = Fit(train, starts);
        return new HeldOutError(fit, fit.Error(test));
    }

    /// <summary>Splits <paramref name="points"/> at random (<see cref="LawPoints.Split"/>, seeded) into a training part and
    /// a test part holding <paramref name="testFraction"/> of the points (at least one), fits and measures the test error.</summary>
    public HeldOutError HeldOut(LawPoints points, double testFraction, int seed, StartGrid starts)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (train, test) = points.Split(testFraction, seed);
        return HeldOut(train, test, starts);
    }
}
