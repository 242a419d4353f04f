using DichVuCong.Web.Common.Persistence;
using NetArchTest.Rules;

namespace DichVuCong.Tests.Architecture;

/// <summary>
/// A module's root namespace (its entities, module class and read models) is its contract; its use-case
/// folders are its own. Other modules, Common and the shared pages may use the contract only.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private const string Root = "DichVuCong.Web.Modules";

    private static readonly string[] Modules = ["Catalog", "Accounts", "Dossiers", "Notifications", "Processing", "Reporting"];

    public static TheoryData<string> ModuleNames() => [.. Modules];

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Other_code_does_not_reach_into_a_modules_use_case_folders(string module)
    {
        var useCaseNamespaces = typeof(AppDbContext).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith($"{Root}.{module}.", StringComparison.Ordinal))
            .Distinct()
            .ToArray();
        if (useCaseNamespaces.Length == 0)
        {
            return;
        }

        var result = Types.InAssembly(typeof(AppDbContext).Assembly)
            .That().DoNotResideInNamespace($"{Root}.{module}")
            .And().DoNotResideInNamespaceStartingWith($"{Root}.{module}.")
            .And().DoNotHaveNameStartingWith("<")
            .ShouldNot().HaveDependencyOnAny(useCaseNamespaces!)
            .GetResult();

        Assert.True(result.IsSuccessful, $"Types outside {module} use its internals: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Common_depends_on_no_module_except_through_the_persistence_model()
    {
        var result = Types.InAssembly(typeof(AppDbContext).Assembly)
            .That().ResideInNamespaceStartingWith("DichVuCong.Web.Common")
            .And().DoNotResideInNamespace("DichVuCong.Web.Common.Persistence")
            .ShouldNot().HaveDependencyOnAny(Modules.Select(m => $"{Root}.{m}").ToArray())
            .GetResult();

        Assert.True(result.IsSuccessful, "Common uses modules: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_architecture_rule_catches_a_reach_into_a_use_case_folder()
    {
        // The rule above would be worthless if it could not fail: the catalog module itself does use its folders.
        var result = Types.InAssembly(typeof(AppDbContext).Assembly)
            .That().HaveName("CatalogModule")
            .ShouldNot().HaveDependencyOnAny($"{Root}.Catalog.SearchProcedures")
            .GetResult();

        Assert.False(result.IsSuccessful);
    }
}
