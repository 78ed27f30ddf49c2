using LossLab.Notebooks.Execution;
using LossLab.Notebooks.Sweeps;

namespace LossLab.Notebooks.Tests.Sweeps;

public class SweepSpecTests
{
    static string Show(SweepPoint p) => string.Join(" ", p.Parameters.Select(kv => $"{kv.Key}={(kv.Value is IEnumerable<object> l ? "[" + string.Join(",", l) + "]" : kv.Value)}"));

    [Fact]
    public void Lists_expand_to_their_product_in_the_order_written_zip_groups_vary_together_and_scalars_stay_fixed()
    {
        var spec = SweepSpec.Parse("""
            scale: smoke
            parameters:
              Loss: [ce, ldam]
              RunSeeds: [[1, 2], [3]]
              Epochs: 10
            zip:
              - { Lr: [0.1, 0.01], Wd: [1e-4, 5e-4] }
            """);

        // Hand-expanded: Loss slowest, then RunSeeds, then the (Lr, Wd) pair; Epochs in every point.
        Assert.Equal([
            "Loss=ce RunSeeds=[1,2] Lr=0.1 Wd=1e-4 Epochs=10", "Loss=ce RunSeeds=[1,2] Lr=0.01 Wd=5e-4 Epochs=10",
            "Loss=ce RunSeeds=[3] Lr=0.1 Wd=1e-4 Epochs=10", "Loss=ce RunSeeds=[3] Lr=0.01 Wd=5e-4 Epochs=10",
            "Loss=ldam RunSeeds=[1,2] Lr=0.1 Wd=1e-4 Epochs=10", "Loss=ldam RunSeeds=[1,2] Lr=0.01 Wd=5e-4 Epochs=10",
            "Loss=ldam RunSeeds=[3] Lr=0.1 Wd=1e-4 Epochs=10", "Loss=ldam RunSeeds=[3] Lr=0.01 Wd=5e-4 Epochs=10",
        ], spec.Points.Select(Show));
        Assert.Equal(Enumerable.Range(0, 8), spec.Points.Select(p => p.Index));
        Assert.Equal(["Loss", "RunSeeds", "Lr", "Wd"], spec.Varying);
        Assert.Equal("smoke", spec.Scale);
        Assert.Equal("Loss=ce,RunSeeds=1-2,Lr=0.1,Wd=1e-4", spec.Points[0].Name);
    }

    [Fact]
    public void A_points_yaml_reads_back_as_the_same_parameter_values()
    {
        var spec = SweepSpec.Parse("parameters:\n  Name: ['it''s: here', plain]\n  Neg: [-1, '2']\n  Seeds: [[1, 2]]\n");
        foreach (var point in spec.Points)
        {
            var back = new ParameterOverrides().AddYaml(SweepSpec.Yaml(point.Parameters)).Items;
            Assert.Equal(point.Parameters.Select(kv => kv.Key), back.Select(i => i.Name));
            Assert.Equal(point.Parameters.Select(kv => Show(new SweepPoint(0, [kv], ""))), back.Select(i => Show(new SweepPoint(0, [new(i.Name, i.Raw)], ""))));
        }
        Assert.Equal("Name=it_s__here,Neg=-1,Seeds=1-2", spec.Points[0].Name);
    }

    [Theory]
    [InlineData("parameters:\n  A: [1, 2]\nzip:\n  - { B: [1, 2], C: [1] }\n", "differ in length (2, 1)")]
    [InlineData("parameters:\n  A: [1]\nzip:\n  - { A: [1] }\n", "parameter 'A' is given twice")]
    [InlineData("parameters:\n  A: []\n", "'A' has an empty list")]
    [InlineData("parameters:\n  Scale: [smoke]\n", "set the scale with `scale:`")]
    [InlineData("scale: huge\nparameters:\n  A: 1\n", "scale must be one of")]
    [InlineData("params:\n  A: [1]\n", "unknown key 'params'")]
    [InlineData("- just a list\n", "a sweep is a YAML mapping")]
    [InlineData("parameters: {A: [1, 2\n", "not valid YAML")]
    [InlineData("parameters:\n  A: ['x/y', 'x:y']\n", "share the folder 'A=x_y'")]
    public void Bad_specs_are_refused_naming_the_problem(string yaml, string message)
    {
        var e = Assert.Throws<SweepException>(() => SweepSpec.Parse(yaml, "s.yaml"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("s.yaml: ", e.Message);
    }

    [Fact]
    public void The_manifest_round_trips_and_a_folder_holding_another_sweep_is_refused()
    {
        var dir = NotebookHarness.Scratch();
        var nb = Path.Combine(dir, "a.ipynb");
        File.WriteAllText(Path.Combine(dir, "s.yaml"), "notebooks: [a.ipynb]\nparameters:\n  A: [1, 2]\n  B: [[3, 4]]\n");
        var spec = SweepSpec.Load(Path.Combine(dir, "s.yaml"));
        var out1 = Path.Combine(dir, "out");
        var written = SweepManifest.Create(spec, out1);
        var loaded = SweepManifest.Load(out1);
        Assert.Equal([nb], loaded.Notebooks);
        Assert.Equal(written.Points.Select(Show), loaded.Points.Select(Show));
        Assert.Equal(written.Points.Select(p => p.Name), loaded.Points.Select(p => p.Name));
        SweepManifest.Create(spec, out1);   // the same sweep again: accepted as it is

        File.WriteAllText(Path.Combine(dir, "t.yaml"), "notebooks: [a.ipynb]\nparameters:\n  A: [1, 3]\n");
        var other = Assert.Throws<SweepException>(() => SweepManifest.Create(SweepSpec.Load(Path.Combine(dir, "t.yaml")), out1));
        Assert.Contains("holds another sweep", other.Message);

        var point = loaded.Points[1];
        Assert.Null(loaded.Record(point));
        var started = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture);
        loaded.WriteRecord(point, new PointRecord(PointState.Failed, 3, started, started.AddSeconds(9), "h", 42));
        Assert.Equal(new PointRecord(PointState.Failed, 3, started, started.AddSeconds(9), "h", 42), loaded.Record(point));
        File.WriteAllText(Path.Combine(loaded.PointFolder(point), SweepManifest.RecordName), "{ torn");
        Assert.Null(loaded.Record(point));   // a damaged record: the point counts as not started, resume reruns it
    }
}
