namespace Whc.Declarative.Sandbox;

/// <summary>Stable names of the emulated routes, used in fault configuration and the request log.</summary>
public static class SandboxRoutes
{
    public const string Token = "token";
    public const string ReadCompany = "readCompany";
    public const string ListCompanies = "listCompanies";
    public const string VerifyDomain = "verifyDomain";
    public const string VerifySite = "verifySite";
    public const string VerifyUser = "verifyUser";
    public const string VerifyExtension = "verifyExtension";
    public const string Qualify = "qualify";
    public const string RingFence = "ringFence";
    public const string SearchAddress = "searchAddress";
    public const string CreateAddress = "createAddress";
    public const string CreateOrder = "createOrder";
    public const string ListOrders = "listOrders";
    public const string SubmitOrder = "submitOrder";
    public const string ReadOrder = "readOrder";

    /// <summary>Matches every route in fault configuration.</summary>
    public const string Any = "*";

    public static IReadOnlyList<string> All { get; } =
    [
        Token, ReadCompany, ListCompanies, VerifyDomain, VerifySite, VerifyUser, VerifyExtension, Qualify, RingFence,
        SearchAddress, CreateAddress, CreateOrder, ListOrders, SubmitOrder, ReadOrder,
    ];

    public static bool IsKnown(string name) => name == Any || All.Contains(name, StringComparer.Ordinal);
}
