using LossLab.Notebooks.Execution;

namespace LossLab.Notebooks.Tests.Execution;

public class ParameterTests
{
    static readonly ParameterType Bool = new(ParameterKind.Bool, false), Int = new(ParameterKind.Int, false), Long = new(ParameterKind.Long, false),
        Double = new(ParameterKind.Double, false), String = new(ParameterKind.String, false), Doubles = new(ParameterKind.Double, true),
        Ints = new(ParameterKind.Int, true), Strings = new(ParameterKind.String, true);

    public static TheoryData<object, ParameterType, string> Literals => new()
    {
        // papermill's CSharpTranslator: bools, ints, longs with L, floats by repr, strings with \" escaped
        { true, Bool, "true" },
        { false, Bool, "false" },
        { 10, Int, "10" },
        { -7, Int, "-7" },
        { 3000000000L, Long, "3000000000L" },
        { 0.1, Double, "0.1" },
        { 1.0, Double, "1.0" },
        { 1e-05, Double, "1E-05" },
        { double.NaN, Double, "double.NaN" },
        { double.NegativeInfinity, Double, "double.NegativeInfinity" },
        { "run \"a\"", String, "\"run \\\"a\\\"\"" },
        { "C:\\data\\", String, "\"C:\\\\data\\\\\"" },
        { "two\nlines\ttab", String, "\"two\\nlines\\ttab\"" },
        { "sep\u2028x\u0085y", String, "\"sep\\u2028x\\u0085y\"" },
        { "ünï 🙂", String, "\"ünï 🙂\"" },
        { new[] { 0.5, 2.0 }, Doubles, "new double[] { 0.5, 2.0 }" },
        { new int[0], Ints, "new int[] { }" },
        { new[] { "a", "b\"" }, Strings, "new string[] { \"a\", \"b\\\"\" }" },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void Values_become_CSharp_literals_as_papermills_translator_writes_them(object value, ParameterType type, string literal) =>
        Assert.Equal(literal, CSharpLiteral.Format(value, type));

    [Fact]
    public void The_parameters_cell_gives_names_types_defaults_and_line_comments()
    {
        var (parameters, unsupported) = ParametersCell.Parse("""
            string Scale = "default"; // smoke, default or paper
            int Epochs = 10;          // passes over the data
            var Lr = 3e-4;
            var Seeds = new[] { 1, 2, 3 }; // seeds
            long Big = 3000000000L;
            double[] Ratios = [0.5, 1];
            bool Verbose = false;
            var Device = TorchSharp.torch.CPU; // not a parameter type
            // a comment line
            """);

        Assert.Equal(["Scale", "Epochs", "Lr", "Seeds", "Big", "Ratios", "Verbose"], parameters.Select(p => p.Name));
        Assert.Equal(["string", "int", "double", "int[]", "long", "double[]", "bool"], parameters.Select(p => p.Type.CSharpName));
        Assert.Equal(["\"default\"", "10", "3e-4", "new[] { 1, 2, 3 }", "3000000000L", "[0.5, 1]", "false"], parameters.Select(p => p.DefaultText));
        Assert.Equal(["smoke, default or paper", "passes over the data", "", "seeds", "", "", ""], parameters.Select(p => p.Comment));
        Assert.Equal(["Device"], unsupported);
        Assert.Equal(new List<object?> { 0.5, 1.0 }, ParametersCell.LiteralValue("[0.5, 1]", Doubles));
        Assert.Equal(3e-4, ParametersCell.LiteralValue("3e-4", Double));
    }

    static readonly IReadOnlyList<NotebookParameter> Declared = ParametersCell.Parse(
        "string Scale = \"default\";\nint Epochs = 10;\ndouble[] Lrs = new double[] { 0.1 };\nbool Fast = false;\nvar Device = TorchSharp.torch.CPU;").Parameters;

    [Fact]
    public void Values_are_converted_to_the_declared_types_with_later_sources_winning()
    {
        var yaml = Path.Combine(NotebookHarness.Scratch(), "p.yaml");
        File.WriteAllText(yaml, "Epochs: 3\nLrs: [0.5, 0.25]\nFast: true\n");
        var overrides = new ParameterOverrides().AddYamlFile(yaml).AddYaml("Epochs: 4\nScale: paper").Add("Epochs", "5");

        var bound = ParameterBinder.Bind(Declared, ["Device"], overrides);

        Assert.Equal(["Scale", "Epochs", "Lrs", "Fast"], bound.Select(b => b.Parameter.Name));
        Assert.Equal("paper", bound[0].Value);
        Assert.Equal(5, bound[1].Value);
        Assert.Equal(new[] { 0.5, 0.25 }, bound[2].Value);
        Assert.Equal(true, bound[3].Value);
        Assert.Equal(new[] { 1e-3, 2.0 }, ParameterBinder.Convert("[1e-3, 2]", Doubles));
        Assert.Equal(new[] { 1, 2 }, ParameterBinder.Convert("1, 2", Ints));
    }

    [Fact]
    public void Unknown_names_and_wrong_types_are_all_reported_together()
    {
        var overrides = new ParameterOverrides().Add("Epoch", "3").Add("Epochs", "ten").Add("Fast", "1").Add("Device", "cuda").Add("Lrs", "[0.1, x]");

        var e = Assert.Throws<ParameterException>(() => ParameterBinder.Bind(Declared, ["Device"], overrides));

        Assert.Equal(string.Join(Environment.NewLine,
            "-p Epoch: unknown parameter 'Epoch'. Declared: Scale (string), Epochs (int), Lrs (double[]), Fast (bool).",
            "-p Epochs: expects a int, got 'ten'.",
            "-p Fast: expects a bool, got '1'.",
            "-p Device: the parameters cell declares 'Device' with a type that cannot be set from outside (use bool, int, long, double, string or an array of these).",
            "-p Lrs: expects a list of double, got 'x'."), e.Message);
    }

    [Fact]
    public void Bad_yaml_is_an_error_naming_its_source()
    {
        var e = Assert.Throws<ParameterException>(() => new ParameterOverrides().AddYaml("Epochs: [1, 2", "-y"));
        Assert.StartsWith("-y: not valid YAML", e.Message);
        Assert.Throws<ParameterException>(() => new ParameterOverrides().AddYaml("- 1\n- 2"));
        Assert.StartsWith("-f /no/such.yaml: no such file", Assert.Throws<ParameterException>(() => new ParameterOverrides().AddYamlFile("/no/such.yaml")).Message);
    }
}
