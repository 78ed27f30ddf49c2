using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

/// <summary>Besiroglu et al.'s replication of Hoffmann et al.'s Approach 3 on the runs extracted from Figure 4.</summary>
public class ChinchillaReplicationTests
{
    static readonly string DataPath = FindData();

    static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "data", "chinchilla", "svg_extracted_data.csv");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("data/chinchilla/svg_extracted_data.csv not found above the test directory.");
    }

    [Fact]
    public void The_csv_holds_245_runs_and_the_five_highest_losses_are_dropped()
    {
        var runs = ChinchillaRuns.Load(DataPath);
        Assert.Equal(245, runs.Count);
        var kept = ChinchillaRuns.DropHighestLoss(runs, 5);
        Assert.Equal(240, kept.Count);
        var dropped = runs.Except(kept).Select(r => Math.Round(r.Loss, 3)).Order().ToArray();
        Assert.Equal([3.447, 3.766, 3.794, 4.665, 5.006], dropped);
        // The first row: N = 6.7956e9, C = 9.9939e18, D = C/(6N).
        Assert.Equal(9.993852799709755e+18 / (6 * 6795600349.289497), runs[0].Tokens, 1e-6);
    }

    [Fact]
    public void Reduced_grid_reproduces_Besiroglu_et_al_and_the_polished_optimum()
    {
        var runs = ChinchillaRuns.Load(DataPath);
        var grid = ChinchillaApproach3.Grid(alphas: [0.5, 1], betas: [0.5, 1], es: [-0.5, 0.5], as_: [5, 10, 15, 20], bs: [5, 10, 15, 20]);
        var fit = ChinchillaApproach3.Fit(runs, grid);
        var p = ChinchillaParameters.FromFit(fit);
        var besiroglu = ChinchillaParameters.Besiroglu2024;

        // Besiroglu et al.: E, α, β to 1e-2 relative; A and B in log space to 1e-2 relative.
        Assert.True(Math.Abs(p.E / besiroglu.E - 1) < 1e-2, p.ToString());
        Assert.True(Math.Abs(p.Alpha / besiroglu.Alpha - 1) < 1e-2, p.ToString());
        Assert.True(Math.Abs(p.Beta / besiroglu.Beta - 1) < 1e-2, p.ToString());
        Assert.True(Math.Abs(Math.Log(p.A) / Math.Log(besiroglu.A) - 1) < 1e-2, p.ToString());
        Assert.True(Math.Abs(Math.Log(p.B) / Math.Log(besiroglu.B) - 1) < 1e-2, p.ToString());

        // The polished optimum of the same objective (analytic gradient, L-BFGS-B then BFGS; reference/baselines.md §5):
        // objective 1.0182740178e-3, A 477.826, B 2143.42, E 1.817218, α 0.3473105, β 0.3671724.
        Assert.Equal(1.0182740178e-3, fit.Objective, 1e-6 * 1.0182740178e-3);
        Assert.True(Math.Abs(p.A / 477.826 - 1) < 5e-3, p.ToString());
        Assert.True(Math.Abs(p.B / 2143.42 - 1) < 5e-3, p.ToString());
        Assert.True(Math.Abs(p.E / 1.817218 - 1) < 5e-4, p.ToString());
        Assert.True(Math.Abs(p.Alpha / 0.3473105 - 1) < 1e-3, p.ToString());
        Assert.True(Math.Abs(p.Beta / 0.3671724 - 1) < 1e-3, p.ToString());
        Assert.Equal(grid.Count, fit.Starts.Count);
    }

    [Fact]
    public void The_objective_at_the_optimum_is_an_explicit_sum_of_Huber_losses()
    {
        var runs = ChinchillaRuns.DropHighestLoss(ChinchillaRuns.Load(DataPath), 5);
        double a = 6.1690, b = 7.6700, e = 0.5973, alpha = 0.3473, beta = 0.3672, sum = 0;
        foreach (var r in runs)
        {
            double pred = Math.Exp(a) / Math.Pow(r.Parameters, alpha) + Math.Exp(b) / Math.Pow(r.Tokens, beta) + Math.Exp(e);
            double res = Math.Log(pred) - Math.Log(r.Loss);
            sum += Math.Abs(res) <= 1e-3 ? 0.5 * res * res : 1e-3 * (Math.Abs(res) - 0.5e-3);
        }
        var objective = ChinchillaApproach3.Fitter().Objective(ChinchillaRuns.ToPoints(runs));
        Assert.Equal(sum, objective.Value([a, b, e, alpha, beta]), sum * 1e-12);
    }

    [Fact]
    public void Full_grid_has_4500_starts_in_Epochs_order()
    {
        var grid = ChinchillaApproach3.FullGrid;
        Assert.Equal(4500, grid.Count);
        Assert.Equal([0, 0, -1, 0, 0], grid[0].ToArray());
        Assert.Equal([5, 0, -1, 0, 0], grid[6].ToArray());   // b varies fastest, then a
        Assert.Equal([25, 25, 1, 2, 2], grid[4499].ToArray());
        // index 924 (SciPy's winning start in reference/baselines.md): [a, b, e, α, β] = [20, 0, −1, 0.5, 0]
        Assert.Equal([20, 0, -1, 0.5, 0], grid[924].ToArray());
    }

    [Theory]
    [InlineData("Hoffmann2022", 0.4516, 3.25e10, 92.8)]
    [InlineData("Hoffmann2022Unrounded", 0.4565, 4.07e10, 59.0)]
    [InlineData("Besiroglu2024", 0.5126, 7.31e10, 18.3)]
    public void Compute_optimal_allocation_matches_the_closed_form_table_and_a_brute_force_search(string which, double a, double nOpt, double ratio)
    {
        var p = which switch
        {
            "Hoffmann2022" => ChinchillaParameters.Hoffmann2022,
            "Hoffmann2022Unrounded" => ChinchillaParameters.Hoffmann2022Unrounded,
            _ => ChinchillaParameters.Besiroglu2024,
        };
        double c = 6 * 70e9 * 1.4e12;   // 5.88e23 FLOP (reference/ml-anchors.md §3.1 table)
        var (n, d) = p.ComputeOptimal(c);
        Assert.Equal(a, p.SizeExponent, 5e-4);
        Assert.True(Math.Abs(n / nOpt - 1) < 5e-3, $"N_opt {n:E3}");
        Assert.True(Math.Abs(d / n / ratio - 1) < 5e-3, $"D/N {d / n:F2}");
        Assert.Equal(c, 6 * n * d, c * 1e-12);

        // Brute force: L(N, C/(6N)) over a fine log grid of N.
        double bestN = 0, bestL = double.PositiveInfinity;
        for (double logN = Math.Log(1e9); logN < Math.Log(1e12); logN += 1e-4)
        {
            double nn = Math.Exp(logN), l = p.Loss(nn, c / (6 * nn));
            if (l < bestL) { bestL = l; bestN = nn; }
        }
        Assert.True(Math.Abs(n / bestN - 1) < 2e-4, $"closed form {n:E4}, brute force {bestN:E4}");
    }

    [Fact]
    public void Parsing_reports_missing_columns_and_bad_numbers()
    {
        Assert.Throws<FormatException>(() => ChinchillaRuns.Parse(["Model Size,loss", "1,2"]));
        Assert.Throws<FormatException>(() => ChinchillaRuns.Parse(["Model Size,Training FLOP,loss", "1,x,2"]));
        Assert.Throws<FileNotFoundException>(() => ChinchillaRuns.Load("/nonexistent/chinchilla.csv"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinchillaRuns.DropHighestLoss([], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinchillaParameters.Besiroglu2024.ComputeOptimal(0));
    }
}
