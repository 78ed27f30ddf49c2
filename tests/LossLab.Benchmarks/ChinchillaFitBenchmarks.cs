using BenchmarkDotNet.Attributes;
using LossLab.Scaling;

namespace LossLab.Benchmarks;

/// <summary>
/// Hoffmann et al.'s Approach 3 on the Chinchilla runs as Besiroglu et al. replicate it (240 points, Huber δ = 1e-3 on
/// log residuals, 4,500 L-BFGS starts): LossLab's fitter on every core and on one. Compare with
/// <c>reference/chinchilla_scipy.py</c> (SciPy's L-BFGS-B over the same grid and data) run in the same sitting.
/// <c>dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*ChinchillaFit*'</c>
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ChinchillaFitBenchmarks
{
    IReadOnlyList<ChinchillaRun> runs = [];
    LawFit? last;

    /// <summary>The CSV in data/chinchilla, found above the benchmark's directory.</summary>
    public static string DataPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "data", "chinchilla", "svg_extracted_data.csv");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("data/chinchilla/svg_extracted_data.csv not found above " + AppContext.BaseDirectory);
    }

    [GlobalSetup]
    public void Setup() => runs = ChinchillaRuns.Load(DataPath());

    [Benchmark(Description = "4,500 starts, all cores")]
    public double FullGridParallel() => (last = ChinchillaApproach3.Fit(runs)).Objective;

    [Benchmark(Description = "4,500 starts, one core")]
    public double FullGridSerial() => (last = ChinchillaApproach3.Fit(runs, maxDegreeOfParallelism: 1)).Objective;

    [GlobalCleanup]
    public void Report()
    {
        if (last is null) return;
        var p = ChinchillaParameters.FromFit(last);
        Console.WriteLine($"// Chinchilla fit: objective {last.Objective:R}; {p}; best start #{last.BestIndex} " +
            $"[{string.Join(", ", last.Best.Start)}]; {last.ConvergedCount} of {last.Starts.Count} converged; " +
            $"{last.Starts.Sum(s => s.Evaluations)} evaluations");
    }
}
