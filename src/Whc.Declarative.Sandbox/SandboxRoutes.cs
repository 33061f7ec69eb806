using Whc.Declarative.Contract;

namespace Whc.Declarative.Sandbox;

/// <summary>Names of the emulated routes, used in fault configuration and the request log: the contract's route names.</summary>
public static class SandboxRoutes
{
    public const string Token = ContractRoutes.Token;
    public const string ReadCompany = ContractRoutes.ReadCompany;
    public const string ListCompanies = ContractRoutes.ListCompanies;
    public const string VerifyDomain = ContractRoutes.VerifyDomain;
    public const string VerifySite = ContractRoutes.VerifySite;
    public const string VerifyUser = ContractRoutes.VerifyUser;
    public const string VerifyExtension = ContractRoutes.VerifyExtension;
    public const string VerifyNumbers = ContractRoutes.VerifyNumbers;
    public const string Qualify = ContractRoutes.Qualify;
    public const string RingFence = ContractRoutes.RingFence;
    public const string SearchAddress = ContractRoutes.SearchAddress;
    public const string CreateAddress = ContractRoutes.CreateAddress;
    public const string CreateOrder = ContractRoutes.CreateOrder;
    public const string ListOrders = ContractRoutes.ListOrders;
    public const string SubmitOrder = ContractRoutes.SubmitOrder;
    public const string ReadOrder = ContractRoutes.ReadOrder;

    /// <summary>Matches every route in fault configuration.</summary>
    public const string Any = "*";

    public static IReadOnlyList<string> All => ContractRoutes.All;

    public static bool IsKnown(string? name) => name == Any || ContractRoutes.IsKnown(name);
}
