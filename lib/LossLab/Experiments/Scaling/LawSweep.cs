using LossLab.Scaling;

namespace LossLab.Experiments.Scaling;

/// <summary>
/// A scaling-law sweep: every cell of a declared grid (model size × data budget, a learning-rate schedule, a mixture ×
/// size × steps, …) trained once per seed, and the laws fitted to what the runs observed. It runs on
/// <see cref="MethodComparison{TRun}"/> (cells as its methods, seeds outer, the seed fixed before each run, so every cell of
/// a seed starts from that seed's state), keeps each run's own record (<typeparamref name="TRun"/>: a final loss, a curve),
/// turns runs into <see cref="LawPoints"/> through an observation function, and fits a <see cref="LawDeclaration"/> per
/// seed or on every seed's runs pooled. A notebook declares its grid, its law and its knobs; Kaplan et al. (2020,
/// arXiv:2001.08361), Hoffmann et al. (2022, arXiv:2203.15556) and Luo et al. (2025, arXiv:2503.12811) fit such sweeps.
/// </summary>
/// <typeparam name="TCell">One cell of the grid (a record or tuple of its knobs).</typeparam>
/// <typeparam name="TRun">What training one cell with one seed returns.</typeparam>
public sealed class LawSweep<TCell, TRun> where TCell : notnull
{
    readonly TCell[] cells;
    readonly string[] names;
    readonly Dictionary<string, TCell> byName;
    readonly MethodComparison<TRun> comparison;
    bool ran;

    /// <summary>A sweep of <paramref name="cells"/> over <paramref name="seeds"/>; <paramref name="name"/> names a cell in
    /// progress reports and errors (default: its <c>ToString</c>).</summary>
    /// <exception cref="ArgumentException">No cell, two cells with the same name, no seed, or a repeated seed.</exception>
    public LawSweep(IEnumerable<TCell> cells, IReadOnlyList<int> seeds, Func<TCell, string>? name = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(seeds);
        this.cells = [.. cells];
        if (this.cells.Length == 0) throw new ArgumentException("the grid has no cell: give at least one cell to train.", nameof(cells));
        name ??= c => c.ToString() ?? "";
        names = this.cells.Select(name).ToArray();
        var repeated = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => $"'{g.Key}' ×{g.Count()}").ToList();
        if (repeated.Count > 0) throw new ArgumentException($"every cell of the grid must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(cells));
        if (seeds.Count == 0) throw new ArgumentException("seeds must not be empty: every cell runs once per seed.", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds must be distinct; got [{string.Join(", ", seeds)}].", nameof(seeds));
        comparison = new MethodComparison<TRun>(names, seeds);
        byName = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => this.cells[t.i]);
    }

    /// <summary>The cells, in the order given.</summary>
    public IReadOnlyList<TCell> Cells => cells;

    /// <summary>The seeds, in the order given.</summary>
    public IReadOnlyList<int> Seeds => comparison.Seeds;

    /// <summary>The position of <paramref name="cell"/> in <see cref="Cells"/>.</summary>
    /// <exception cref="ArgumentException">The cell is not in the grid.</exception>
    public int IndexOf(TCell cell)
    {
        int i = Array.IndexOf(cells, cell);
        return i >= 0 ? i : throw new ArgumentException($"{cell} is not a cell of the grid [{string.Join("; ", names)}].", nameof(cell));
    }

    /// <summary>The name of <paramref name="cell"/>.</summary>
    public string NameOf(TCell cell) => names[IndexOf(cell)];

    /// <summary>Trains every cell once per seed (seeds outer, cells in order): fixes the seed
    /// (<see cref="Training.Seeds.Fix"/>), then calls <paramref name="train"/> with the cell and the seed.
    /// <paramref name="onRun"/> is called on the same thread after each run.</summary>
    public LawSweep<TCell, TRun> Run(Func<TCell, int, TRun> train, Action<(int Done, int Total, TCell Cell, int Seed, TRun Run, double Seconds)>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        comparison.Run((n, seed) => train(byName[n], seed), Reporter(onRun));
        ran = true;
        return this;
    }

    /// <summary>Trains every cell once per seed in two parts, so that several seeds can train at once with the numbers of a
    /// sequential run (<see cref="MethodComparison{TRun}.Run{TStarted}"/>): <paramref name="start"/> builds and initialises
    /// the model with the seed fixed, one start at a time in sequential order, and is the only part allowed to draw from
    /// torch's global generator; <paramref name="finish"/> trains and scores what the start returned, the seeds shared
    /// among <paramref name="workers"/> threads (default <see cref="Training.Threads.Workers"/>), each seed's cells in
    /// order on one thread. <paramref name="onRun"/> is called on the calling thread, in the order runs finish.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">A finish drew from torch's global generator.</exception>
    public LawSweep<TCell, TRun> Run<TStarted>(Func<TCell, int, TStarted> start, Func<TCell, int, TStarted, TRun> finish,
        Action<(int Done, int Total, TCell Cell, int Seed, TRun Run, double Seconds)>? onRun = null, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(finish);
        comparison.Run((n, seed) => start(byName[n], seed), (n, seed, started) => finish(byName[n], seed, started), Reporter(onRun), workers);
        ran = true;
        return this;
    }

    /// <summary>The comparison's progress callback in terms of cells and runs.</summary>
    Action<(int Done, int Total, string Method, int Seed, double Seconds)>? Reporter(
        Action<(int Done, int Total, TCell Cell, int Seed, TRun Run, double Seconds)>? onRun) =>
        onRun is null ? null : r => onRun((r.Done, r.Total, byName[r.Method], r.Seed, comparison[r.Method, r.Seed], r.Seconds));

    /// <summary>The run of <paramref name="cell"/> with <paramref name="seed"/>.</summary>
    /// <exception cref="KeyNotFoundException">That run has not been made.</exception>
    public TRun this[TCell cell, int seed] => comparison[NameOf(cell), seed];

    /// <summary>Seconds the run of <paramref name="cell"/> with <paramref name="seed"/> took.</summary>
    public double Seconds(TCell cell, int seed) => comparison.Seconds(NameOf(cell), seed);

    /// <summary>Every run, seeds outer and cells in order (the order they ran in).</summary>
    public IEnumerable<(TCell Cell, int Seed, TRun Run)> Runs
    {
        get
        {
            EnsureRan();
            foreach (var seed in Seeds)
                foreach (var cell in cells)
                    yield return (cell, seed, this[cell, seed]);
        }
    }

    /// <summary>The runs of <paramref name="seed"/> (every seed when null) whose cell satisfies <paramref name="where"/>
    /// (every cell when null), in run order.</summary>
    public IReadOnlyList<(TCell Cell, int Seed, TRun Run)> Select(int? seed = null, Func<TCell, bool>? where = null)
    {
        if (seed is { } s && !Seeds.Contains(s))
            throw new ArgumentException($"seed {s} is not one of the sweep's seeds [{string.Join(", ", Seeds)}].", nameof(seed));
        var selected = Runs.Where(r => (seed is null || r.Seed == seed) && (where is null || where(r.Cell))).ToArray();
        return selected;
    }

    /// <summary>The points that <paramref name="observe"/> reads from the selected runs (see <see cref="Select"/>), in run
    /// order: each run gives any number of (loss, inputs) observations, in the law's input order.</summary>
    /// <exception cref="ArgumentException">No run is selected, or the selected runs give no point.</exception>
    public LawPoints Points(Func<TCell, TRun, IEnumerable<(double Loss, double[] Inputs)>> observe, int? seed = null, Func<TCell, bool>? where = null)
    {
        ArgumentNullException.ThrowIfNull(observe);
        var selected = Select(seed, where);
        if (selected.Count == 0)
            throw new ArgumentException($"no run is selected (seed {(seed?.ToString() ?? "any")}; the filter keeps none of the cells [{string.Join("; ", names)}]).", nameof(where));
        var observations = selected.SelectMany(r => observe(r.Cell, r.Run)).ToList();
        if (observations.Count == 0) throw new ArgumentException($"the {selected.Count} selected run(s) give no point.", nameof(observe));
        return new LawPoints(observations.Select(o => (IReadOnlyList<double>)o.Inputs).ToArray(), observations.Select(o => o.Loss).ToArray());
    }

    /// <summary>The points of the selected runs, one per run: <paramref name="observe"/> gives its loss and inputs.</summary>
    public LawPoints Points(Func<TCell, TRun, (double Loss, double[] Inputs)> observe, int? seed = null, Func<TCell, bool>? where = null)
    {
        ArgumentNullException.ThrowIfNull(observe);
        return Points((c, r) => [observe(c, r)], seed, where);
    }

    /// <summary>Fits <paramref name="law"/> to each seed's points (one point per selected run), in seed order.</summary>
    public IReadOnlyList<SweepFit> FitPerSeed(LawDeclaration law, Func<TCell, TRun, (double Loss, double[] Inputs)> observe, Func<TCell, bool>? where = null)
    {
        ArgumentNullException.ThrowIfNull(observe);
        return FitPerSeed(law, (c, r) => [observe(c, r)], where);
    }

    /// <summary>Fits <paramref name="law"/> to each seed's points (any number per selected run), in seed order.</summary>
    public IReadOnlyList<SweepFit> FitPerSeed(LawDeclaration law, Func<TCell, TRun, IEnumerable<(double Loss, double[] Inputs)>> observe, Func<TCell, bool>? where = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        return Seeds.Select(s => SweepFit.Of(s, law, Points(observe, s, where))).ToArray();
    }

    /// <summary>Fits <paramref name="law"/> to every seed's points pooled (one point per selected run); its seed is null.</summary>
    public SweepFit FitPooled(LawDeclaration law, Func<TCell, TRun, (double Loss, double[] Inputs)> observe, Func<TCell, bool>? where = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(observe);
        return SweepFit.Of(null, law, Points(observe, null, where));
    }

    /// <summary>Leave-one-seed-out prediction (see <see cref="SeedHoldOut"/>): for each seed in turn, fits
    /// <paramref name="law"/> on the other seeds' selected runs (one point per run) and measures its error on that seed's
    /// runs, beside the error of the other seeds' mean loss in each cell. This judges a law against the seed noise of the
    /// runs rather than against a fixed R².</summary>
    /// <exception cref="InvalidOperationException">Fewer than 3 seeds: the cell means of the other seeds need at least two.</exception>
    public IReadOnlyList<SeedHoldOut> LeaveOneSeedOut(LawDeclaration law, Func<TCell, TRun, (double Loss, double[] Inputs)> observe, Func<TCell, bool>? where = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(observe);
        if (Seeds.Count < 3)
            throw new InvalidOperationException($"leaving one seed out needs at least 3 seeds (the others' cell means need two); the sweep has {Seeds.Count}.");
        var kept = cells.Where(c => where is null || where(c)).ToArray();
        if (kept.Length == 0) throw new ArgumentException($"the filter keeps none of the cells [{string.Join("; ", names)}].", nameof(where));
        return Seeds.Select(held =>
        {
            var others = Seeds.Where(s => s != held).ToArray();
            var train = others.SelectMany(s => kept.Select(c => observe(c, this[c, s]))).ToArray();   // run order: seeds outer
            var fit = law.Fit(new LawPoints(train.Select(o => (IReadOnlyList<double>)o.Inputs).ToArray(), train.Select(o => o.Loss).ToArray()));
            var test = kept.Select(c => observe(c, this[c, held])).ToArray();
            var testPoints = new LawPoints(test.Select(o => (IReadOnlyList<double>)o.Inputs).ToArray(), test.Select(o => o.Loss).ToArray());
            var cellMeans = kept.Select(c => others.Average(s => observe(c, this[c, s]).Loss)).ToArray();
            return new SeedHoldOut(held, fit, fit.Error(testPoints), new PredictionError(cellMeans, testPoints.Losses));
        }).ToArray();
    }

    void EnsureRan()
    {
        if (!ran) throw new InvalidOperationException("the sweep has not run: call Run first.");
    }
}
