using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LossLab.Notebooks.Tests;

/// <summary>
/// A validator for the subset of JSON Schema (draft 4) that nbformat's v4.5 schema uses: $ref to local definitions, type,
/// properties, required, additionalProperties, patternProperties, items, enum, oneOf, not, pattern, min/maxLength,
/// minimum/maximum, uniqueItems. "format" is an annotation and is not checked. Returns every violation with its JSON path.
/// </summary>
sealed class JsonSchemaValidator(JsonObject root)
{
    public static JsonSchemaValidator Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!.AsObject());

    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    void Check(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(Resolve(reference), value, path, errors);
            return;
        }
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Any(t => IsType(value, t))) { errors.Add($"{path}: expected {string.Join("|", allowed)}, found {Kind(value)}"); return; }
        }
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {options.ToJsonString()}");
        if (schema["oneOf"] is JsonArray oneOf)
        {
            int matches = oneOf.Count(s => { var e = new List<string>(); Check(s!.AsObject(), value, path, e); return e.Count == 0; });
            if (matches != 1) errors.Add($"{path}: matches {matches} of the oneOf schemas, expected exactly 1");
        }
        if (schema["not"] is JsonObject not)
        {
            var e = new List<string>();
            Check(not, value, path, e);
            if (e.Count == 0) errors.Add($"{path}: matches a schema it must not match");
        }
        if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(s, pattern)) errors.Add($"{path}: '{s}' does not match {pattern}");
            if (schema["minLength"]?.GetValue<int>() is { } min && s.Length < min) errors.Add($"{path}: shorter than {min}");
            if (schema["maxLength"]?.GetValue<int>() is { } max && s.Length > max) errors.Add($"{path}: longer than {max}");
        }
        if (value is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var d = n.GetValue<double>();
            if (schema["minimum"]?.GetValue<double>() is { } min && d < min) errors.Add($"{path}: {d} < minimum {min}");
            if (schema["maximum"]?.GetValue<double>() is { } max && d > max) errors.Add($"{path}: {d} > maximum {max}");
        }
        if (value is JsonArray array)
        {
            if (schema["items"] is JsonObject items)
                for (int i = 0; i < array.Count; i++) Check(items, array[i], $"{path}[{i}]", errors);
            if (schema["uniqueItems"]?.GetValue<bool>() == true)
                for (int i = 0; i < array.Count; i++)
                    for (int j = i + 1; j < array.Count; j++)
                        if (JsonNode.DeepEquals(array[i], array[j])) errors.Add($"{path}: items {i} and {j} are equal");
        }
        if (value is JsonObject obj)
        {
            foreach (var required in schema["required"] as JsonArray ?? [])
                if (!obj.ContainsKey(required!.GetValue<string>())) errors.Add($"{path}: missing required '{required}'");
            var properties = schema["properties"] as JsonObject;
            var patterns = schema["patternProperties"] as JsonObject;
            foreach (var (key, child) in obj)
            {
                bool matched = false;
                if (properties?[key] is JsonObject ps) { Check(ps, child, $"{path}.{key}", errors); matched = true; }
                foreach (var (pattern, pschema) in patterns ?? [])
                    if (Regex.IsMatch(key, pattern)) { Check(pschema!.AsObject(), child, $"{path}.{key}", errors); matched = true; }
                if (matched) continue;
                switch (schema["additionalProperties"])
                {
                    case JsonValue b when b.GetValueKind() == System.Text.Json.JsonValueKind.False:
                        errors.Add($"{path}: unexpected property '{key}'");
                        break;
                    case JsonObject extra:
                        Check(extra, child, $"{path}.{key}", errors);
                        break;
                }
            }
        }
    }

    JsonObject Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new NotSupportedException($"only local $ref: {reference}");
        JsonNode node = root;
        foreach (var part in reference[2..].Split('/')) node = node[part] ?? throw new KeyNotFoundException(reference);
        return node.AsObject();
    }

    static bool IsType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "null" => value is null,
        "string" => value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String,
        "boolean" => value is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
        "number" => value is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number,
        "integer" => value is JsonValue i && i.GetValueKind() == System.Text.Json.JsonValueKind.Number && double.IsInteger(i.GetValue<double>()),
        _ => throw new NotSupportedException($"type {type}"),
    };

    static string Kind(JsonNode? value) => value is null ? "null" : value.GetValueKind().ToString().ToLowerInvariant();
}
